export { FakeListWatch } from "./fake-list-watch.js";
export { settle, until } from "./settle.js";
