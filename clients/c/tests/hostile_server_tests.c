/* A session against a server that misbehaves on purpose (plaintext on 127.0.0.1, a thread in
 * this process): frames over the limit, flag bits, undecodable and empty payloads, a frame cut
 * short, a stray Result, no Welcome. Each is an error on the calls it touches, never a crash or
 * an allocation sized by the server; the next call gets a new connection and works. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "frame.h"
#include "predict.h"

typedef enum {
    BEHAVE,          /* answers every call properly */
    TOO_LARGE,       /* a prefix announcing 2 GiB, then nothing */
    OVER_OUR_LIMIT,  /* a real 2 MiB frame, over the client's 1 MiB inbound limit */
    FLAG_BITS,       /* the compressed bit set */
    UNDECODABLE,     /* a payload that is not a Frame */
    EMPTY,           /* a zero-length payload */
    CUT_SHORT,       /* half a frame, then the connection closes */
    STRAY_RESULT,    /* a Result for a call never made, then the right one */
    NO_WELCOME,      /* answers Hello with a Pong */
} behaviour;

static volatile behaviour misbehaviour = BEHAVE; /* what the next connection does; then BEHAVE */
static int listener;

static int read_exactly(int fd, uint8_t *buffer, size_t length) {
    size_t got = 0;
    while (got < length) {
        ssize_t now = read(fd, buffer + got, length - got);
        if (now <= 0) return -1;
        got += (size_t)now;
    }
    return 0;
}

static void send_all(int fd, const uint8_t *bytes, size_t length) {
    while (length > 0) {
        ssize_t sent = send(fd, bytes, length, MSG_NOSIGNAL);
        if (sent <= 0) return;
        bytes += sent;
        length -= (size_t)sent;
    }
}

static void send_frame(int fd, Predict__V1__Frame *frame) {
    size_t length = 0;
    uint8_t *bytes = predict_frame_encode(frame, &length);
    send_all(fd, bytes, length);
    free(bytes);
}

static void send_live_result(int fd, uint64_t call_id) {
    Inference__ServerLiveResponse live = INFERENCE__SERVER_LIVE_RESPONSE__INIT;
    live.live = 1;
    Predict__V1__Result result = PREDICT__V1__RESULT__INIT;
    result.response_case = PREDICT__V1__RESULT__RESPONSE_SERVER_LIVE;
    result.server_live = &live;
    Predict__V1__Frame frame = PREDICT__V1__FRAME__INIT;
    frame.call_id = call_id;
    frame.kind_case = PREDICT__V1__FRAME__KIND_RESULT;
    frame.result = &result;
    send_frame(fd, &frame);
}

static void misbehave(int fd, behaviour how, uint64_t call_id) {
    static const uint8_t too_large[] = {0, 0x7f, 0xff, 0xff, 0xff};
    static const uint8_t flagged[] = {1, 0, 0, 0, 2, 0x08, 0x01};
    static const uint8_t undecodable[] = {0, 0, 0, 0, 3, 0xff, 0xff, 0xff};
    static const uint8_t empty[] = {0, 0, 0, 0, 0};
    static const uint8_t cut[] = {0, 0, 0, 0, 100, 0x08, 0x01, 0x2a};
    switch (how) {
    case TOO_LARGE: send_all(fd, too_large, sizeof too_large); break;
    case FLAG_BITS: send_all(fd, flagged, sizeof flagged); break;
    case UNDECODABLE: send_all(fd, undecodable, sizeof undecodable); break;
    case EMPTY: send_all(fd, empty, sizeof empty); break;
    case CUT_SHORT: send_all(fd, cut, sizeof cut); shutdown(fd, SHUT_RDWR); break;
    case OVER_OUR_LIMIT: {
        size_t length = 2u << 20;
        uint8_t *frame = calloc(PREDICT_FRAME_PREFIX + length, 1);
        frame[1] = (uint8_t)(length >> 24); frame[2] = (uint8_t)(length >> 16);
        frame[3] = (uint8_t)(length >> 8); frame[4] = (uint8_t)length;
        send_all(fd, frame, PREDICT_FRAME_PREFIX + length);
        free(frame);
        break;
    }
    case STRAY_RESULT:
        send_live_result(fd, 999999);
        send_live_result(fd, call_id);
        break;
    default: send_live_result(fd, call_id); break;
    }
}

/* One connection: Hello → Welcome (or not), then each Call answered as `how` says. */
static void serve(int fd, behaviour how) {
    uint8_t prefix[PREDICT_FRAME_PREFIX];
    while (read_exactly(fd, prefix, sizeof prefix) == 0) {
        size_t length = (size_t)prefix[1] << 24 | (size_t)prefix[2] << 16 | (size_t)prefix[3] << 8 | prefix[4];
        uint8_t *payload = malloc(length ? length : 1);
        if (length > (1u << 20) || read_exactly(fd, payload, length) != 0) {
            free(payload);
            return;
        }
        Predict__V1__Frame *frame = predict__v1__frame__unpack(NULL, length, payload);
        free(payload);
        if (!frame) return;
        if (frame->kind_case == PREDICT__V1__FRAME__KIND_HELLO) {
            Predict__V1__Frame answer = PREDICT__V1__FRAME__INIT;
            Predict__V1__Welcome welcome = PREDICT__V1__WELCOME__INIT;
            Predict__V1__Pong pong = PREDICT__V1__PONG__INIT;
            if (how == NO_WELCOME) {
                answer.kind_case = PREDICT__V1__FRAME__KIND_PONG;
                answer.pong = &pong;
            } else {
                welcome.protocol_version = 1;
                welcome.max_frame_bytes = 4u << 20;
                welcome.max_concurrent_calls = 100;
                answer.kind_case = PREDICT__V1__FRAME__KIND_WELCOME;
                answer.welcome = &welcome;
            }
            send_frame(fd, &answer);
        } else if (frame->kind_case == PREDICT__V1__FRAME__KIND_CALL) {
            misbehave(fd, how, frame->call_id);
        }
        predict__v1__frame__free_unpacked(frame, NULL);
    }
}

static void *accept_loop(void *unused) {
    (void)unused;
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) return NULL;
        behaviour how = misbehaviour;
        misbehaviour = BEHAVE;
        serve(fd, how);
        close(fd);
    }
}

static predict_session *connect_plaintext(uint16_t port, predict_status *status) {
    predict_options options = {.host = "127.0.0.1", .port = port, .insecure_plaintext_on_loopback = 1,
                               .max_inbound_frame_bytes = 1u << 20, .call_timeout_ms = 2000};
    predict_session *session = NULL;
    return predict_connect(&options, &session, status) == 0 ? session : NULL;
}

int main(void) {
    listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t size = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 8) != 0 ||
        getsockname(listener, (struct sockaddr *)&address, &size) != 0) {
        perror("hostile_server_tests: listen");
        return 2;
    }
    uint16_t port = ntohs(address.sin_port);
    pthread_t server;
    pthread_create(&server, NULL, accept_loop, NULL);

    predict_status status;
    misbehaviour = NO_WELCOME;
    CHECK(connect_plaintext(port, &status) == NULL && status.code == PREDICT_INTERNAL && strstr(status.message, "Welcome"));

    /* Every misbehaviour below happens on the session's second connection: the first is made to
     * go away by a server that closes it, so each case starts from a fresh connection. */
    predict_session *session = NULL;
    int live = 0;
    const struct {
        behaviour how;
        predict_code expected;
        const char *words;
    } cases[] = {
        {TOO_LARGE, PREDICT_UNAVAILABLE, "larger than"},
        {OVER_OUR_LIMIT, PREDICT_UNAVAILABLE, "larger than"},
        {FLAG_BITS, PREDICT_UNAVAILABLE, "flag bits"},
        {UNDECODABLE, PREDICT_UNAVAILABLE, "does not decode"},
        {EMPTY, PREDICT_UNAVAILABLE, "does not decode"},
        {CUT_SHORT, PREDICT_UNAVAILABLE, "closed"},
        {STRAY_RESULT, PREDICT_OK, ""}, /* dropped; the call's own Result still counts */
    };
    for (size_t index = 0; index < sizeof cases / sizeof *cases; index++) {
        misbehaviour = cases[index].how;
        session = connect_plaintext(port, &status);
        CHECK(session != NULL);
        if (!session) continue;
        live = 0;
        status = (predict_status){PREDICT_OK, ""};
        int outcome = predict_live(session, &live, &status);
        CHECK((outcome == 0) == (cases[index].expected == PREDICT_OK) && status.code == cases[index].expected &&
              strstr(status.message, cases[index].words));
        if (status.code != cases[index].expected || !strstr(status.message, cases[index].words)) {
            fprintf(stderr, "  case %zu: %s: %s\n", index, predict_code_name(status.code), status.message);
        }
        /* The session opens a new connection for the next call, which works. */
        CHECK(predict_live(session, &live, &status) == 0 && live == 1);
        predict_close(session);
    }
    shutdown(listener, SHUT_RDWR);
    close(listener);
    pthread_join(server, NULL);
    return check_report("hostile_server_tests");
}
