/** NodeName: a pod that names its node (`spec.nodeName`) fits only there. */
import { fits, unfit, type FilterPlugin } from "../../framework.js";

export const nodeName: FilterPlugin = {
  name: "NodeName",
  filter(pod, nodeInfo) {
    const wanted = pod.spec?.nodeName;
    if (!wanted || wanted === nodeInfo.name) return fits;
    return unfit("node(s) didn't match the requested node name");
  },
};
