/**
 * The one generic resource handler: every kind, built-in or custom, is served
 * by these functions; only the strategy and schema differ.
 */
import { errors } from "../../api/errors.js";
import type { RequestContext } from "./context.js";
import { handleGet, handleList, handleWatch } from "./read.js";
import {
  handleCreate,
  handleUpdate,
  handlePatch,
  handleDelete,
  handleDeleteCollection,
  handleGetScale,
  unsupportedSubresource,
} from "./write.js";

export type { RequestContext, HandlerDeps } from "./context.js";
export { sendJson } from "./context.js";

export async function handleResource(ctx: RequestContext): Promise<void> {
  const { info, served } = ctx;
  const sub = info.subresource;
  if (sub) {
    const allowed =
      (sub === "status" && served.info.subresources.status) ||
      (sub === "scale" && served.info.subresources.scale) ||
      (sub === "binding" && served.info.plural === "pods") ||
      (sub === "finalize" && served.info.group === "" && served.info.plural === "namespaces" && info.verb === "update");
    if (!allowed) throw unsupportedSubresource(ctx);
  }
  if (served.info.namespaced === false && info.namespace) {
    throw errors.notFound({ group: served.info.group, resource: served.info.plural }, info.name || info.namespace);
  }
  switch (info.verb) {
    case "get":
      return sub === "scale" ? handleGetScale(ctx) : handleGet(ctx);
    case "list":
      return handleList(ctx);
    case "watch":
      return handleWatch(ctx);
    case "create":
      return handleCreate(ctx);
    case "update":
      return handleUpdate(ctx);
    case "patch":
      return handlePatch(ctx);
    case "delete":
      return handleDelete(ctx);
    case "deletecollection":
      return handleDeleteCollection(ctx);
  }
}
