export { anonymousUser, authenticatedGroup, type UserInfo } from "./user-info.js";
export {
  TokenFile,
  ensureAdminToken,
  parseBearer,
  tokenFileName,
  adminUser,
  mastersGroup,
  type TokenEntry,
} from "./token-file.js";
