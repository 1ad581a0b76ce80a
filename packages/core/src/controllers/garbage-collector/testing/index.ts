export { FakeInformer, FakeCache, type FakeEventHandler } from "./fake-informer.js";
export { FakeApi, type RecordedAction } from "./fake-api.js";
