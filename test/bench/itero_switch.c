/* The baseline: iTero Lab Connector (states/itero-lab-connector.yaml) as a
 * hand-written C switch, the way a host would code it without libdosm. */
#include "itero_switch.h"

int itero_switch_fire(int state, int event, int physical_model)
{
    switch (state) {
    case IT_SCANNING:
        return event == EV_SEND_TO_LAB ? IT_READY_FOR_DOWNLOAD : -1;
    case IT_READY_FOR_DOWNLOAD:
    case IT_DOWNLOADED:
    case IT_REVIEW_DOWNLOADED:
        switch (event) {
        case EV_DOWNLOAD:
            return state == IT_READY_FOR_DOWNLOAD ? IT_DOWNLOADED : -1;
        case EV_SEND_TO_MODELING: return IT_MODELING;
        case EV_REQUEST_RESCAN: return IT_RESCAN_REQUESTED;
        case EV_REQUEST_PHYSICAL_MODEL: return IT_MODELING;
        case EV_PROCEED:
            return state == IT_REVIEW_DOWNLOADED && physical_model
                       ? IT_ITERO_MILLING : -1;
        default: return -1;
        }
    case IT_MODELING:
        return event == EV_MODELING_DONE ? IT_LAB_REVIEW : -1;
    case IT_LAB_REVIEW:
        switch (event) {
        case EV_DOWNLOAD: return IT_REVIEW_DOWNLOADED;
        case EV_REQUEST_RESCAN: return IT_RESCAN_REQUESTED;
        case EV_PROCEED: return physical_model ? IT_ITERO_MILLING : -1;
        default: return -1;
        }
    case IT_INTERPRETATION_2:
        switch (event) {
        case EV_SEND_TO_MILLING: return physical_model ? IT_ITERO_MILLING : -1;
        case EV_SEND_BACK_FOR_REVIEW: return IT_LAB_REVIEW;
        default: return -1;
        }
    case IT_ITERO_MILLING:
        switch (event) {
        case EV_MILLED: return IT_READY_TO_SHIP;
        case EV_SEND_TO_INTERPRETATION_2:
            return physical_model ? IT_INTERPRETATION_2 : -1;
        default: return -1;
        }
    case IT_READY_TO_SHIP:
        return event == EV_DOWNLOAD ? IT_DOWNLOADED : -1;
    case IT_RESCAN_REQUESTED:
        return event == EV_RESCAN_SENT ? IT_READY_FOR_DOWNLOAD : -1;
    default:
        return -1;
    }
}

/* Event names in enum order, to translate a walk recorded by name. */
const char *const itero_event_names[EV_COUNT] = {
    "send_to_lab", "download", "send_to_modeling", "modeling_done",
    "request_rescan", "rescan_sent", "request_physical_model", "proceed",
    "milled", "send_to_interpretation_2", "send_to_milling",
    "send_back_for_review"};
const char *const itero_state_names[IT_COUNT] = {
    "SCANNING", "READY_FOR_DOWNLOAD", "MODELING", "LAB_REVIEW",
    "INTERPRETATION_2", "ITERO_MILLING", "READY_TO_SHIP", "RESCAN_REQUESTED",
    "DOWNLOADED", "REVIEW_DOWNLOADED"};
