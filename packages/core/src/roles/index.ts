export { startControlPlane, type ControlPlane, type ControlPlaneOptions } from "./control-plane.js";
export { runControllerManager, runScheduler, type StandaloneOptions } from "./standalone.js";
