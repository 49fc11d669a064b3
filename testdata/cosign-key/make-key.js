// Writes an ECDSA P-256 key pair in cosign's file format, without cosign or graft:
//   node make-key.js TWEETNACL_DIR OUT_DIR PASSWORD [PEM_TYPE] [SCRYPT_N]
// OUT_DIR/cosign.key: PEM (type "ENCRYPTED SIGSTORE PRIVATE KEY" unless PEM_TYPE says otherwise)
// around go-securesystemslib's envelope: scrypt(password, salt, N, r=8, p=1) → 32-byte key,
// nacl secretbox (XSalsa20-Poly1305, tweetnacl) over the PKCS#8 DER private key.
// OUT_DIR/cosign.pub: the public key as PEM PUBLIC KEY (SPKI), as cosign writes it.
// OUT_DIR/plain.pem: the same private key unencrypted (PKCS#8 PEM), for tests that sign without a password.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const [naclDir, outDir, password, pemType = 'ENCRYPTED SIGSTORE PRIVATE KEY', n = '65536'] = process.argv.slice(2);
const nacl = require(path.resolve(naclDir));

const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
const salt = crypto.randomBytes(32);
const nonce = crypto.randomBytes(24);
const N = Number(n);
const key = crypto.scryptSync(Buffer.from(password, 'utf8'), salt, 32, { N, r: 8, p: 1, maxmem: 512 * 1024 * 1024 });
const box = nacl.secretbox(new Uint8Array(pkcs8), new Uint8Array(nonce), new Uint8Array(key));
// field order and names as go-securesystemslib's json.Marshal writes them
const envelope = JSON.stringify({
  kdf: { name: 'scrypt', params: { N, r: 8, p: 1 }, salt: salt.toString('base64') },
  cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
  ciphertext: Buffer.from(box).toString('base64'),
});
const pem = (type, bytes) => `-----BEGIN ${type}-----\n${bytes.toString('base64').match(/.{1,64}/g).join('\n')}\n-----END ${type}-----\n`;
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'cosign.key'), pem(pemType, Buffer.from(envelope, 'utf8')), { mode: 0o600 });
fs.writeFileSync(path.join(outDir, 'cosign.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
fs.writeFileSync(path.join(outDir, 'plain.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
