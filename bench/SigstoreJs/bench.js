// Sigstore bundle verifications per second with @sigstore/verify, in-process, on the cases scripts/bench-sigstore.sh
// lists (one a line, tab-separated: name, bundle, trusted root, key PEM or -, identity, issuer, artifact); the same
// cases Rollproof.Benchmarks `sigstore` verifies in the same run. The packages are the ones the integration tests pin
// (tests/Rollproof.Integration.Tests/SigstoreVerify, installed there with npm ci). As a client does, each trusted
// root becomes trust material once; each verification parses its bundle and checks the artifact's bytes.
// Verification is synchronous, so the cores are used by worker threads, each looping over every case.
// Usage: node bench.js check CASES            prints "ok NAME" or "fail NAME: error" per case
//        node bench.js bench CASES SECONDS THREADS
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { createRequire } = require('module');
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

const pinned = createRequire(path.join(__dirname, '../../tests/Rollproof.Integration.Tests/SigstoreVerify/package.json'));
const { bundleFromJSON } = pinned('@sigstore/bundle');
const { TrustedRoot } = pinned('@sigstore/protobuf-specs');
const { toSignedEntity, toTrustMaterial, Verifier } = pinned('@sigstore/verify');

function loadCases(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l).map((line) => {
    const [name, bundlePath, rootPath, keyPath, identity, issuer, artifactPath] = line.split('\t');
    const bundleText = fs.readFileSync(bundlePath, 'utf8');
    const root = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(rootPath, 'utf8')));
    let keys = {};
    let policy = { subjectAlternativeName: identity, extensions: { issuer } };
    if (keyPath !== '-') {
      // The bundle names its key by a hint; the caller's key is trusted under that hint.
      const hint = JSON.parse(bundleText).verificationMaterial.publicKey.hint;
      const spki = crypto.createPublicKey(fs.readFileSync(keyPath, 'utf8')).export({ type: 'spki', format: 'der' });
      keys = { [hint]: { rawBytes: spki } };
      policy = undefined;
    }
    const verifier = new Verifier(toTrustMaterial(root, keys));
    const artifact = fs.readFileSync(artifactPath);
    const verify = () => verifier.verify(toSignedEntity(bundleFromJSON(JSON.parse(bundleText)), artifact), policy);
    return { name, verify };
  });
}

function loop(cases, seconds) {
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let verified = 0;
  while (process.hrtime.bigint() < end) {
    for (const c of cases) {
      c.verify();
      verified++;
    }
  }
  return { verified, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

if (!isMainThread) {
  const cases = loadCases(workerData.cases);
  loop(cases, Math.min(2, workerData.seconds));
  parentPort.postMessage({ ready: true });
  parentPort.once('message', () => parentPort.postMessage(loop(cases, workerData.seconds)));
} else {
  const [mode, casesFile, secondsText, threadsText] = process.argv.slice(2);
  if (mode === 'check' && casesFile) {
    for (const c of loadCases(casesFile)) {
      try {
        c.verify();
        console.log(`ok ${c.name}`);
      } catch (e) {
        console.log(`fail ${c.name}: ${e.code || e.name}: ${e.message}`);
      }
    }
  } else if (mode === 'bench' && casesFile) {
    const seconds = Number(secondsText || 5);
    const threads = Number(threadsText || require('os').availableParallelism());
    const workers = Array.from({ length: threads }, () => new Worker(__filename, { workerData: { cases: casesFile, seconds } }));
    const ready = workers.map((w) => new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); }));
    Promise.all(ready).then(() => Promise.all(workers.map((w) => {
      const done = new Promise((resolve) => w.once('message', resolve));
      w.postMessage('go');
      return done;
    }))).then((results) => {
      const rate = results.reduce((sum, r) => sum + r.verified / r.seconds, 0);
      const count = loadCases(casesFile).length;
      console.log(`sigstore-js bundles/s: ${rate.toFixed(0)} (${threads} worker threads, ${count} bundles, @sigstore/verify ${pinned('@sigstore/verify/package.json').version}, node ${process.versions.node})`);
      workers.forEach((w) => w.terminate());
    }, (e) => { console.error(e); process.exit(1); });
  } else {
    console.error('usage: node bench.js check CASES | bench CASES SECONDS THREADS');
    process.exit(2);
  }
}
