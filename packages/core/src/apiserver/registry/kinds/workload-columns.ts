/** The wide-only columns every pod-template workload shares. */
import { column } from "../default-strategy.js";

export const containersColumn = column("Containers", "string", "Names of each container in the template.", 1);
export const imagesColumn = column("Images", "string", "Images referenced by each container in the template.", 1);
export const selectorColumn = column("Selector", "string", "Label selector for pods.", 1);
