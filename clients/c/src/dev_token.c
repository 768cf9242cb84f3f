/* Development tokens, as `predict-client token` mints them: ES256 over a dev signing key, the
 * header's kid the key's RFC 7638 thumbprint (what dev mode's JWKS names it). */
#include <jwt.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "predict.h"
#include "status.h"

static void base64url(const unsigned char *bytes, size_t length, char *out) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t at = 0;
    for (size_t index = 0; index < length; index += 3) {
        uint32_t group = (uint32_t)bytes[index] << 16;
        if (index + 1 < length) group |= (uint32_t)bytes[index + 1] << 8;
        if (index + 2 < length) group |= bytes[index + 2];
        out[at++] = alphabet[group >> 18 & 63];
        out[at++] = alphabet[group >> 12 & 63];
        if (index + 1 < length) out[at++] = alphabet[group >> 6 & 63];
        if (index + 2 < length) out[at++] = alphabet[group & 63];
    }
    out[at] = '\0';
}

/* Reads the key file (PEM) into memory and the key's kid. */
static int read_key(const char *path, char **pem, size_t *pem_length, char kid[64], predict_status *status) {
    FILE *file = fopen(path, "rb");
    if (!file) return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "cannot read the signing key '%s'", path);
    EVP_PKEY *key = PEM_read_PrivateKey(file, NULL, NULL, NULL);
    unsigned char point[65];
    size_t point_length = 0;
    char curve[32] = "";
    int usable = key && EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve, NULL) == 1 &&
                 strcmp(curve, "prime256v1") == 0 &&
                 EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof point, &point_length) == 1 &&
                 point_length == 65 && point[0] == 4;
    EVP_PKEY_free(key);
    if (!usable) {
        fclose(file);
        return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "the signing key '%s' is not a PEM P-256 private key", path);
    }
    /* RFC 7638: the required members in lexicographic order, no whitespace, hashed. */
    char x[48], y[48], canonical[160];
    base64url(point + 1, 32, x);
    base64url(point + 33, 32, y);
    snprintf(canonical, sizeof canonical, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", x, y);
    unsigned char digest[32];
    EVP_Digest(canonical, strlen(canonical), digest, NULL, EVP_sha256(), NULL);
    base64url(digest, sizeof digest, kid);
    /* libjwt takes the key as PEM text. */
    long size = (fseek(file, 0, SEEK_END) == 0) ? ftell(file) : -1;
    *pem = size > 0 ? malloc((size_t)size) : NULL;
    int read = *pem && fseek(file, 0, SEEK_SET) == 0 && fread(*pem, 1, (size_t)size, file) == (size_t)size;
    fclose(file);
    if (!read) {
        free(*pem);
        return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "cannot read the signing key '%s'", path);
    }
    *pem_length = (size_t)size;
    return 0;
}

int predict_dev_token_mint(const predict_dev_token_claims *claims, char **token, predict_status *status) {
    if (!claims || !claims->key_file || !claims->subject || !claims->subject[0]) {
        return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "a development token needs a key file and a subject");
    }
    if (claims->lifetime_seconds < 1 || claims->lifetime_seconds > 86400) {
        return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "a token's lifetime must be 1 to 86400 seconds");
    }
    char *pem = NULL, kid[64];
    size_t pem_length = 0;
    if (read_key(claims->key_file, &pem, &pem_length, kid, status) != 0) return -1;
    long now = (long)time(NULL);
    jwt_t *jwt = NULL;
    int failed = jwt_new(&jwt) != 0 || jwt_add_header(jwt, "kid", kid) != 0 ||
                 jwt_add_grant(jwt, "iss", claims->issuer ? claims->issuer : "predict-dev") != 0 ||
                 jwt_add_grant(jwt, "sub", claims->subject) != 0 ||
                 jwt_add_grant(jwt, "aud", claims->audience ? claims->audience : "predict") != 0 ||
                 jwt_add_grant_int(jwt, "iat", now) != 0 || jwt_add_grant_int(jwt, "exp", now + claims->lifetime_seconds) != 0;
    if (!failed && claims->email && claims->email[0]) {
        failed = jwt_add_grant(jwt, "email", claims->email) != 0 || jwt_add_grant_bool(jwt, "email_verified", 1) != 0;
    }
    failed = failed || jwt_set_alg(jwt, JWT_ALG_ES256, (const unsigned char *)pem, (int)pem_length) != 0;
    char *encoded = failed ? NULL : jwt_encode_str(jwt);
    jwt_free(jwt);
    memset(pem, 0, pem_length);
    free(pem);
    if (!encoded) return predict_status_set(status, PREDICT_INTERNAL, "libjwt could not sign the token");
    *token = encoded;
    return 0;
}
