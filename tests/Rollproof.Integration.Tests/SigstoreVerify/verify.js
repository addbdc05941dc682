// Verifies a Sigstore bundle offline with @sigstore/verify, the library sigstore-js clients use, against a
// trusted_root.json and the signer's public key, with the library's default thresholds (one tlog entry, one
// verified timestamp). Usage: node verify.js BUNDLE TRUSTED_ROOT PUBLIC_KEY_PEM [ARTIFACT]
// (ARTIFACT: the signed file, which a message-signature bundle, unlike a DSSE one, does not carry.)
// Prints {"verified":true,...} and exits 0, or prints the library's error and exits 1.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');
const { toSignedEntity, toTrustMaterial, Verifier } = require('@sigstore/verify');

const [bundlePath, rootPath, keyPath, artifactPath] = process.argv.slice(2);
if (!keyPath) {
  console.error('usage: node verify.js BUNDLE TRUSTED_ROOT PUBLIC_KEY_PEM [ARTIFACT]');
  process.exit(2);
}
try {
  const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
  const root = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(rootPath, 'utf8')));
  const spki = crypto.createPublicKey(fs.readFileSync(keyPath, 'utf8')).export({ type: 'spki', format: 'der' });
  // The key hint in the bundle is the SHA-256 of the key's SubjectPublicKeyInfo, in hex.
  const hint = crypto.createHash('sha256').update(spki).digest('hex');
  const trust = toTrustMaterial(root, { [hint]: { rawBytes: spki } });
  const signer = new Verifier(trust).verify(toSignedEntity(bundle, artifactPath && fs.readFileSync(artifactPath)));
  console.log(JSON.stringify({ verified: true, hint, key: signer.key.asymmetricKeyType }));
} catch (e) {
  console.error(`${e.code || e.name}: ${e.message}`);
  process.exit(1);
}
