/* The call kinds of PROTOCOL.md over the session: health, metadata and raw inference. */
#include <stdlib.h>

#include "session.h"
#include "status.h"

static char *nonnull(const char *text) { return (char *)(text ? text : ""); }

int predict_live(predict_session *session, int *live, predict_status *status) {
    Inference__ServerLiveRequest request = INFERENCE__SERVER_LIVE_REQUEST__INIT;
    Predict__V1__Call call = PREDICT__V1__CALL__INIT;
    call.request_case = PREDICT__V1__CALL__REQUEST_SERVER_LIVE;
    call.server_live = &request;
    Predict__V1__Frame *frame = NULL;
    if (predict_session_call(session, &call, PREDICT__V1__RESULT__RESPONSE_SERVER_LIVE, &frame, status) != 0) return -1;
    *live = frame->result->server_live->live;
    predict__v1__frame__free_unpacked(frame, NULL);
    return 0;
}

int predict_ready(predict_session *session, int *ready, predict_status *status) {
    Inference__ServerReadyRequest request = INFERENCE__SERVER_READY_REQUEST__INIT;
    Predict__V1__Call call = PREDICT__V1__CALL__INIT;
    call.request_case = PREDICT__V1__CALL__REQUEST_SERVER_READY;
    call.server_ready = &request;
    Predict__V1__Frame *frame = NULL;
    if (predict_session_call(session, &call, PREDICT__V1__RESULT__RESPONSE_SERVER_READY, &frame, status) != 0) return -1;
    *ready = frame->result->server_ready->ready;
    predict__v1__frame__free_unpacked(frame, NULL);
    return 0;
}

int predict_model_ready(predict_session *session, const char *model, const char *version, int *ready,
                        predict_status *status) {
    if (!model) return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "a model name is required");
    Inference__ModelReadyRequest request = INFERENCE__MODEL_READY_REQUEST__INIT;
    request.name = nonnull(model);
    request.version = nonnull(version);
    Predict__V1__Call call = PREDICT__V1__CALL__INIT;
    call.request_case = PREDICT__V1__CALL__REQUEST_MODEL_READY;
    call.model_ready = &request;
    Predict__V1__Frame *frame = NULL;
    if (predict_session_call(session, &call, PREDICT__V1__RESULT__RESPONSE_MODEL_READY, &frame, status) != 0) return -1;
    *ready = frame->result->model_ready->ready;
    predict__v1__frame__free_unpacked(frame, NULL);
    return 0;
}

int predict_server_metadata(predict_session *session, Inference__ServerMetadataResponse **metadata,
                            predict_status *status) {
    Inference__ServerMetadataRequest request = INFERENCE__SERVER_METADATA_REQUEST__INIT;
    Predict__V1__Call call = PREDICT__V1__CALL__INIT;
    call.request_case = PREDICT__V1__CALL__REQUEST_SERVER_METADATA;
    call.server_metadata = &request;
    Predict__V1__Frame *frame = NULL;
    if (predict_session_call(session, &call, PREDICT__V1__RESULT__RESPONSE_SERVER_METADATA, &frame, status) != 0) {
        return -1;
    }
    /* protobuf-c allocates each message on its own, so the response can leave its frame. */
    *metadata = frame->result->server_metadata;
    frame->result->server_metadata = NULL;
    frame->result->response_case = PREDICT__V1__RESULT__RESPONSE__NOT_SET;
    predict__v1__frame__free_unpacked(frame, NULL);
    return 0;
}

int predict_model_metadata(predict_session *session, const char *model, const char *version,
                           Inference__ModelMetadataResponse **metadata, predict_status *status) {
    if (!model) return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "a model name is required");
    Inference__ModelMetadataRequest request = INFERENCE__MODEL_METADATA_REQUEST__INIT;
    request.name = nonnull(model);
    request.version = nonnull(version);
    Predict__V1__Call call = PREDICT__V1__CALL__INIT;
    call.request_case = PREDICT__V1__CALL__REQUEST_MODEL_METADATA;
    call.model_metadata = &request;
    Predict__V1__Frame *frame = NULL;
    if (predict_session_call(session, &call, PREDICT__V1__RESULT__RESPONSE_MODEL_METADATA, &frame, status) != 0) {
        return -1;
    }
    *metadata = frame->result->model_metadata;
    frame->result->model_metadata = NULL;
    frame->result->response_case = PREDICT__V1__RESULT__RESPONSE__NOT_SET;
    predict__v1__frame__free_unpacked(frame, NULL);
    return 0;
}

int predict_start_infer(predict_session *session, const Inference__ModelInferRequest *request, int timeout_ms,
                        predict_call_id *id, predict_status *status) {
    if (!request) return predict_status_set(status, PREDICT_INVALID_ARGUMENT, "a request is required");
    Predict__V1__Call call = PREDICT__V1__CALL__INIT;
    call.request_case = PREDICT__V1__CALL__REQUEST_MODEL_INFER;
    call.model_infer = (Inference__ModelInferRequest *)request; /* only read, to encode */
    return predict_session_start(session, &call, timeout_ms, id, status);
}

/* The inference response of a finished call, taken out of its frame. */
static int infer_response(predict_session *session, int waited, Predict__V1__Frame *frame,
                          Inference__ModelInferResponse **response, predict_status *status) {
    if (waited != 0) {
        /* The model may have changed: read its input name again next time. */
        if (status && (status->code == PREDICT_NOT_FOUND || status->code == PREDICT_INVALID_ARGUMENT)) {
            predict_feature_inputs_clear(&session->inputs);
        }
        return -1;
    }
    if (predict_result_check(frame, PREDICT__V1__RESULT__RESPONSE_MODEL_INFER, status) != 0) {
        predict__v1__frame__free_unpacked(frame, NULL);
        return -1;
    }
    *response = frame->result->model_infer;
    frame->result->model_infer = NULL;
    frame->result->response_case = PREDICT__V1__RESULT__RESPONSE__NOT_SET;
    predict__v1__frame__free_unpacked(frame, NULL);
    return 0;
}

int predict_wait_infer(predict_session *session, predict_call_id id, Inference__ModelInferResponse **response,
                       predict_status *status) {
    Predict__V1__Frame *frame = NULL;
    predict_status local;
    if (!status) status = &local;
    int waited = predict_session_wait(session, id, NULL, &frame, status);
    return infer_response(session, waited, frame, response, status);
}

int predict_wait_any_infer(predict_session *session, predict_call_id *id, Inference__ModelInferResponse **response,
                           predict_status *status) {
    Predict__V1__Frame *frame = NULL;
    predict_status local;
    if (!status) status = &local;
    int waited = predict_session_wait(session, 0, id, &frame, status);
    return infer_response(session, waited, frame, response, status);
}

int predict_infer(predict_session *session, const Inference__ModelInferRequest *request,
                  Inference__ModelInferResponse **response, predict_status *status) {
    predict_call_id id = 0;
    if (predict_start_infer(session, request, 0, &id, status) != 0) return -1;
    return predict_wait_infer(session, id, response, status);
}
