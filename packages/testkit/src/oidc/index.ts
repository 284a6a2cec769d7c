export { type ActionsClaims, type ActionsClaimsInput, actionsClaims } from "./actions-claims.js";
export { type CreateOidcIssuerOptions, createOidcIssuer, type MintOptions, type OidcIssuer } from "./oidc-issuer.js";
export { type RunningOidcIssuer, startOidcIssuer } from "./start-oidc-issuer.js";
