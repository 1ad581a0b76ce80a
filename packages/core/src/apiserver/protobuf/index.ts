/** Kubernetes protobuf request bodies (kubectl ≥ 1.32's generator commands) decoded to JSON objects. */
export { decodeProtobufObject } from "./decode-protobuf-object.js";
export { isProtobufMediaType } from "./media-type.js";
