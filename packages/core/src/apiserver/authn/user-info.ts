/**
 * Who a request comes from, as authentication established it. Authorization
 * and admission read only this; they never see tokens or certificates.
 */
export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
}

/** Requests without credentials. They are refused unless authorization allows them. */
export const anonymousUser: UserInfo = Object.freeze({
  name: "system:anonymous",
  uid: "",
  groups: Object.freeze(["system:unauthenticated"]) as string[],
}) as UserInfo;

/** Every authenticated user is also in this group, as in Kubernetes. */
export const authenticatedGroup = "system:authenticated";
