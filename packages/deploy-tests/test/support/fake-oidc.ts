import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from "jose";
import { type RecordingServer, sendJson, startRecordingServer } from "./http-recorder.js";

export interface FakeTokenService {
  /** ACTIONS_ID_TOKEN_REQUEST_URL, with the query the runner puts on it. */
  requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  requestToken: string;
  issuer: string;
  server: RecordingServer;
  /** Tokens handed out, to check none of them is printed. */
  issued: string[];
  verify(token: string, audience: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * The runner's OIDC token service: `GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=…` with
 * `Authorization: bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>` answers `{"value": "<JWT>"}`, an RS256
 * token with the claims GitHub puts in Actions tokens.
 */
export async function startFakeTokenService(claims: Record<string, unknown>): Promise<FakeTokenService> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "fake-actions-key", alg: "RS256", use: "sig" };
  const jwks = createLocalJWKSet({ keys: [jwk] });
  const issuer = "https://token.actions.githubusercontent.com";
  const requestToken = `runner-request-token-${Math.random().toString(36).slice(2)}`;
  const issued: string[] = [];
  const server = await startRecordingServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (req.method !== "GET" || url.pathname !== "/_apis/distributedtask/token") return sendJson(res, 404, {});
    if (req.headers.authorization !== `bearer ${requestToken}`) return sendJson(res, 401, { message: "unauthorized" });
    const audience = url.searchParams.get("audience") ?? "https://github.com/acme";
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "RS256", kid: jwk.kid as string, typ: "JWT" })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(`repo:${String(claims.repository)}:ref:${String(claims.ref)}`)
      .setIssuedAt()
      .setNotBefore("0s")
      .setExpirationTime("5m")
      .sign(privateKey);
    issued.push(token);
    return sendJson(res, 200, { count: 1, value: token });
  });
  return {
    requestUrl: `${server.url}/_apis/distributedtask/token?api-version=2.0`,
    requestToken,
    issuer,
    server,
    issued,
    verify: async (token, audience) => (await jwtVerify(token, jwks, { issuer, audience })).payload,
    stop: () => server.stop(),
  };
}
