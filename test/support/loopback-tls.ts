/**
 * A self-signed certificate for 127.0.0.1 (P-256, valid until 2126), for tests that need TLS on loopback:
 * HTTP/2 upstreams, which undici negotiates only through TLS ALPN. A test-only key, trusted by nothing.
 */
export const LOOPBACK_TLS = {
  cert: `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUBHnRGQ8wnEGUR3PMePyRIXlxpCMwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwNzE1MTUxMloYDzIxMjYxMTEz
MTUxNTEyWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARbA+fyFwUB/TRQzTD6pKKbqWygjihzFt0PKn+ueJ2uhUo7Aee7CfYl
OK5nTphtws2kQvfz6+urixdSNE91zu9vo2QwYjAdBgNVHQ4EFgQUoYG9fx6LOJj3
iEy31kwGSlGSt1gwHwYDVR0jBBgwFoAUoYG9fx6LOJj3iEy31kwGSlGSt1gwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
ICgStsB857Up+EGVtc83s741w28/td3ukt4RPGf8Y2bfAiEAnGxnjmBNWTKxueWG
xcXEywDZBF+Yb5YcbIw5gVCkkv8=
-----END CERTIFICATE-----
`,
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZqYzAtl60PFezbAi
10SE1t2J5nZPh8bx+KIXK3da5DShRANCAARbA+fyFwUB/TRQzTD6pKKbqWygjihz
Ft0PKn+ueJ2uhUo7Aee7CfYlOK5nTphtws2kQvfz6+urixdSNE91zu9v
-----END PRIVATE KEY-----
`,
};
