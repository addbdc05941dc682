// Signs an artifact with a local key using @sigstore/sign (no Fulcio), logs it through the library's own Rekor v1
// client (RekorWitness) to the Rekor URL given, and writes the Sigstore bundle the library builds.
// Usage: node sign.js REKOR_URL hashedrekord|dsse ARTIFACT PRIVATE_KEY_PEM BUNDLE_OUT
// A "dsse" bundle wraps the artifact as an in-toto payload; a "hashedrekord" bundle is a message signature over it.
// Exits 0 with the bundle written, or prints the library's error and exits 1.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { bundleToJSON } = require('@sigstore/bundle');
const { DSSEBundleBuilder, MessageSignatureBundleBuilder, RekorWitness } = require('@sigstore/sign');

const [rekorURL, kind, artifactPath, keyPath, bundlePath] = process.argv.slice(2);
if (!bundlePath || !['hashedrekord', 'dsse'].includes(kind)) {
  console.error('usage: node sign.js REKOR_URL hashedrekord|dsse ARTIFACT PRIVATE_KEY_PEM BUNDLE_OUT');
  process.exit(2);
}

const privateKey = crypto.createPrivateKey(fs.readFileSync(keyPath, 'utf8'));
const publicKey = crypto.createPublicKey(privateKey);
const publicPem = publicKey.export({ type: 'spki', format: 'pem' });
// The same hint verify.js looks the key up by: the SHA-256 of its SubjectPublicKeyInfo, in hex.
const hint = crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
// Ed25519 signs the message itself; ECDSA signs its SHA-256 (DER signature, as Sigstore expects).
const digest = privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
const signer = {
  sign: async (data) => ({
    signature: crypto.sign(digest, data, privateKey),
    key: { $case: 'publicKey', publicKey: publicPem, hint },
  }),
};

const witnesses = [new RekorWitness({ rekorBaseURL: rekorURL, entryType: 'dsse', retry: 0, timeout: 30000 })];
const builder = kind === 'dsse'
  ? new DSSEBundleBuilder({ signer, witnesses })
  : new MessageSignatureBundleBuilder({ signer, witnesses });
const artifact = { data: fs.readFileSync(artifactPath), type: kind === 'dsse' ? 'application/vnd.in-toto+json' : undefined };

builder.create(artifact)
  .then((bundle) => {
    fs.writeFileSync(bundlePath, JSON.stringify(bundleToJSON(bundle), null, 2));
    console.log(JSON.stringify({ signed: true, kind, logIndex: bundle.verificationMaterial.tlogEntries[0].logIndex }));
  })
  .catch((e) => {
    console.error(`${e.code || e.name}: ${e.message}${e.cause ? ` (${e.cause.message})` : ''}`);
    process.exit(1);
  });
