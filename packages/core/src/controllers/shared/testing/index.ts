export { FakeInformer, FakeCache } from "./fake-informer.js";
export { FakeApi, type RecordedAction } from "./fake-api.js";
