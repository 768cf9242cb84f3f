#include "tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "status.h"

struct predict_stream {
    int fd;
    SSL_CTX *context;
    SSL *ssl; /* NULL for plaintext */
    int starved; /* the last read found no whole record: only the socket can bring more */
};

static const unsigned char alpn[] = {9, 'p', 'r', 'e', 'd', 'i', 'c', 't', '/', '1'};

/* OpenSSL's socket BIO writes with write(), which raises SIGPIPE on a closed connection and
 * would kill a host program that keeps the default action. This one sends with MSG_NOSIGNAL. */
static BIO_METHOD *nosignal_method;
static pthread_once_t nosignal_once = PTHREAD_ONCE_INIT;

static int nosignal_write(BIO *bio, const char *bytes, int length) {
    int fd = -1;
    BIO_get_fd(bio, &fd);
    errno = 0;
    int sent = (int)send(fd, bytes, (size_t)length, MSG_NOSIGNAL);
    BIO_clear_retry_flags(bio);
    if (sent <= 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_write(bio);
    return sent;
}

static void make_nosignal_method(void) {
    const BIO_METHOD *socket_method = BIO_s_socket();
    nosignal_method = BIO_meth_new(BIO_TYPE_SOCKET, "predict socket");
    if (!nosignal_method) return;
    BIO_meth_set_write(nosignal_method, nosignal_write);
    BIO_meth_set_read(nosignal_method, BIO_meth_get_read(socket_method));
    BIO_meth_set_puts(nosignal_method, BIO_meth_get_puts(socket_method));
    BIO_meth_set_ctrl(nosignal_method, BIO_meth_get_ctrl(socket_method));
    BIO_meth_set_create(nosignal_method, BIO_meth_get_create(socket_method));
    BIO_meth_set_destroy(nosignal_method, BIO_meth_get_destroy(socket_method));
}

static int is_loopback(const struct sockaddr *address) {
    if (address->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)address;
        return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
    }
    if (address->sa_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)address;
        return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
    }
    return 0;
}

/* Waits for `events` on `fd`; 1 ready, 0 timed out, -1 error. */
static int wait_for(int fd, short events, int timeout_ms) {
    struct pollfd poller = {.fd = fd, .events = events};
    for (;;) {
        int ready = poll(&poller, 1, timeout_ms);
        if (ready < 0 && errno == EINTR) continue;
        return ready < 0 ? -1 : ready > 0;
    }
}

static int connect_socket(const char *host, uint16_t port, int plaintext, int timeout_ms, predict_status *status) {
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *found = NULL;
    int failure = getaddrinfo(host, service, &hints, &found);
    if (failure != 0) {
        predict_status_set(status, PREDICT_UNAVAILABLE, "cannot resolve %s: %s", host, gai_strerror(failure));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *candidate = found; candidate; candidate = candidate->ai_next) {
        if (plaintext && !is_loopback(candidate->ai_addr)) {
            predict_status_set(status, PREDICT_INVALID_ARGUMENT,
                               "plaintext is for loopback addresses only; %s is not one", host);
            continue;
        }
        fd = socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol);
        if (fd < 0) continue;
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        int connected = connect(fd, candidate->ai_addr, candidate->ai_addrlen);
        if (connected < 0 && errno == EINPROGRESS && wait_for(fd, POLLOUT, timeout_ms) == 1) {
            int error = 0;
            socklen_t size = sizeof error;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
            connected = error == 0 ? 0 : -1;
            errno = error;
        }
        if (connected == 0) break;
        predict_status_set(status, PREDICT_UNAVAILABLE, "cannot connect to %s:%u: %s", host, port,
                           errno ? strerror(errno) : "timed out");
        close(fd);
        fd = -1;
    }
    freeaddrinfo(found);
    if (fd >= 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

static int handshake(predict_stream *stream, const char *host, const char *ca_file, const char *server_name,
                     int timeout_ms, predict_status *status) {
    stream->context = SSL_CTX_new(TLS_client_method());
    if (!stream->context) return predict_status_set(status, PREDICT_INTERNAL, "cannot create a TLS context");
    SSL_CTX_set_min_proto_version(stream->context, TLS1_2_VERSION);
    SSL_CTX_set_verify(stream->context, SSL_VERIFY_PEER, NULL);
    int trusted = ca_file ? SSL_CTX_load_verify_locations(stream->context, ca_file, NULL)
                          : SSL_CTX_set_default_verify_paths(stream->context);
    if (trusted != 1) {
        return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "cannot read the CA certificates %s",
                                  ca_file ? ca_file : "of the system store");
    }
    if (SSL_CTX_set_alpn_protos(stream->context, alpn, sizeof alpn) != 0) {
        return predict_status_set(status, PREDICT_INTERNAL, "cannot offer ALPN predict/1");
    }
    stream->ssl = SSL_new(stream->context);
    const char *name = server_name ? server_name : host;
    /* The certificate must name the server: an IP address is checked as one, a name as a host. */
    struct in6_addr ip;
    X509_VERIFY_PARAM *parameters = SSL_get0_param(stream->ssl);
    if (inet_pton(AF_INET, name, &ip) == 1 || inet_pton(AF_INET6, name, &ip) == 1) {
        X509_VERIFY_PARAM_set1_ip_asc(parameters, name);
    } else {
        X509_VERIFY_PARAM_set1_host(parameters, name, 0);
        SSL_set_tlsext_host_name(stream->ssl, name);
    }
    pthread_once(&nosignal_once, make_nosignal_method);
    BIO *bio = nosignal_method ? BIO_new(nosignal_method) : NULL;
    if (!bio) return predict_status_set(status, PREDICT_INTERNAL, "cannot create a socket BIO");
    BIO_set_fd(bio, stream->fd, BIO_NOCLOSE);
    SSL_set_bio(stream->ssl, bio, bio);
    /* Read whole records (and what follows) in one system call. */
    SSL_set_read_ahead(stream->ssl, 1);
    for (;;) {
        int done = SSL_connect(stream->ssl);
        if (done == 1) break;
        int reason = SSL_get_error(stream->ssl, done);
        short events = reason == SSL_ERROR_WANT_READ ? POLLIN : reason == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
        if (events && wait_for(stream->fd, events, timeout_ms) == 1) continue;
        long verification = SSL_get_verify_result(stream->ssl);
        if (verification != X509_V_OK) {
            return predict_status_set(status, PREDICT_UNAVAILABLE, "the server's certificate is not trusted for %s: %s", name,
                                      X509_verify_cert_error_string(verification));
        }
        char detail[256] = "timed out";
        unsigned long error = ERR_get_error();
        if (error) ERR_error_string_n(error, detail, sizeof detail);
        return predict_status_set(status, PREDICT_UNAVAILABLE, "TLS handshake with %s failed: %s", name, detail);
    }
    const unsigned char *chosen = NULL;
    unsigned int chosen_length = 0;
    SSL_get0_alpn_selected(stream->ssl, &chosen, &chosen_length);
    if (chosen_length != alpn[0] || memcmp(chosen, alpn + 1, alpn[0]) != 0) {
        return predict_status_set(status, PREDICT_UNAVAILABLE, "the server did not agree to ALPN predict/1");
    }
    return 0;
}

predict_stream *predict_stream_open(const char *host, uint16_t port, const char *ca_file, const char *server_name,
                                    int plaintext, int timeout_ms, predict_status *status) {
    predict_stream *stream = calloc(1, sizeof *stream);
    if (!stream) {
        predict_status_set(status, PREDICT_INTERNAL, "out of memory");
        return NULL;
    }
    stream->fd = connect_socket(host, port, plaintext, timeout_ms, status);
    if (stream->fd < 0 || (!plaintext && handshake(stream, host, ca_file, server_name, timeout_ms, status) != 0)) {
        predict_stream_close(stream);
        return NULL;
    }
    return stream;
}

int predict_stream_write(predict_stream *stream, const uint8_t *bytes, size_t length, predict_status *status) {
    size_t sent = 0;
    while (sent < length) {
        long written;
        if (stream->ssl) {
            written = SSL_write(stream->ssl, bytes + sent, (int)(length - sent));
            if (written <= 0) {
                int reason = SSL_get_error(stream->ssl, (int)written);
                short events = reason == SSL_ERROR_WANT_READ ? POLLIN : reason == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
                if (events && wait_for(stream->fd, events, -1) == 1) continue;
                return predict_status_set(status, PREDICT_UNAVAILABLE, "the connection closed while sending");
            }
        } else {
            written = send(stream->fd, bytes + sent, length - sent, MSG_NOSIGNAL);
            if (written < 0) {
                if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(stream->fd, POLLOUT, -1) == 1) continue;
                if (errno == EINTR) continue;
                return predict_status_set(status, PREDICT_UNAVAILABLE, "the connection closed while sending: %s", strerror(errno));
            }
        }
        sent += (size_t)written;
    }
    return 0;
}

long predict_stream_read(predict_stream *stream, uint8_t *buffer, size_t capacity, int timeout_ms, predict_status *status) {
    /* Read first and poll only when nothing is there: one system call when data waits. */
    for (;;) {
        long got;
        short wanted = POLLIN;
        if (stream->ssl) {
            ERR_clear_error();
            got = SSL_read(stream->ssl, buffer, (int)(capacity > INT32_MAX ? INT32_MAX : capacity));
            if (got > 0) {
                stream->starved = 0;
                return got;
            }
            int reason = SSL_get_error(stream->ssl, (int)got);
            if (reason != SSL_ERROR_WANT_READ && reason != SSL_ERROR_WANT_WRITE) {
                return predict_status_set(status, PREDICT_UNAVAILABLE, "the server closed the connection");
            }
            if (reason == SSL_ERROR_WANT_WRITE) wanted = POLLOUT;
        } else {
            got = recv(stream->fd, buffer, capacity, 0);
            if (got > 0) return got;
            if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                return predict_status_set(status, PREDICT_UNAVAILABLE, "the server closed the connection");
            }
        }
        stream->starved = 1;
        if (timeout_ms == 0) return 0;
        int ready = wait_for(stream->fd, wanted, timeout_ms);
        if (ready == 0) return 0;
        if (ready < 0) return predict_status_set(status, PREDICT_UNAVAILABLE, "cannot wait for the server: %s", strerror(errno));
    }
}

int predict_stream_fd(const predict_stream *stream) { return stream->fd; }

int predict_stream_has_buffered(const predict_stream *stream) {
    /* With read-ahead, whole records can wait in OpenSSL's buffer where poll() cannot see them;
     * a partial one (starved) needs the socket, so it does not count. */
    return stream->ssl && !stream->starved && SSL_has_pending(stream->ssl);
}

void predict_stream_close(predict_stream *stream) {
    if (!stream) return;
    if (stream->ssl) {
        SSL_shutdown(stream->ssl);
        SSL_free(stream->ssl);
    }
    if (stream->context) SSL_CTX_free(stream->context);
    if (stream->fd >= 0) close(stream->fd);
    free(stream);
}
