#ifndef ITERO_SWITCH_H
#define ITERO_SWITCH_H

enum {
    IT_SCANNING, IT_READY_FOR_DOWNLOAD, IT_MODELING, IT_LAB_REVIEW,
    IT_INTERPRETATION_2, IT_ITERO_MILLING, IT_READY_TO_SHIP,
    IT_RESCAN_REQUESTED, IT_DOWNLOADED, IT_REVIEW_DOWNLOADED, IT_COUNT
};
enum {
    EV_SEND_TO_LAB, EV_DOWNLOAD, EV_SEND_TO_MODELING, EV_MODELING_DONE,
    EV_REQUEST_RESCAN, EV_RESCAN_SENT, EV_REQUEST_PHYSICAL_MODEL, EV_PROCEED,
    EV_MILLED, EV_SEND_TO_INTERPRETATION_2, EV_SEND_TO_MILLING,
    EV_SEND_BACK_FOR_REVIEW, EV_COUNT
};

/* The next state, or -1 when the event is not allowed. */
int itero_switch_fire(int state, int event, int physical_model);

extern const char *const itero_event_names[EV_COUNT];
extern const char *const itero_state_names[IT_COUNT];

#endif
