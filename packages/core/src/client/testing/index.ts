export { RecordingTransport, notFoundStatus, type FakeHandler, type FakeReply, type FakeStreamReply } from "./recording-transport.js";
export { fakeDiscoveryDocuments, discoveryReply } from "./fake-discovery.js";
