/* The baseline for guards over text attributes: Virtuo Vivo
 * (states/vivo.yaml) as a hand-written C switch that reads the
 * attributes' text each time it fires. */
#include "vivo_switch.h"

#include <string.h>

/* A version as major.minor.patch in one number; -1 when it does not
 * read. */
static long version(const char *s)
{
    long part[3] = {0, 0, 0};
    int n = 0;
    if (!s || !*s)
        return -1;
    for (;;) {
        if (*s < '0' || *s > '9')
            return -1;
        while (*s >= '0' && *s <= '9')
            part[n] = part[n] * 10 + (*s++ - '0');
        if (!*s)
            break;
        if (*s++ != '.' || ++n == 3)
            return -1;
    }
    return (part[0] * 1000 + part[1]) * 1000 + part[2];
}

/* 1 or 0; -1 when absent or not a boolean. */
static int boolean(const char *s)
{
    if (!s)
        return -1;
    return strcmp(s, "true") == 0 ? 1 : strcmp(s, "false") == 0 ? 0 : -1;
}

int vivo_switch_fire(int state, int event, const vivo_attrs *a)
{
    long v;
    int full;
    switch (state) {
    case VS_NEW:
        return event == VE_START_SCAN ? VS_SCANNING : -1;
    case VS_SCANNING:
        v = version(a->software_version);
        if (event == VE_OPTIMIZE_SCAN)
            return v >= 2001000 && v <= 2003001 ? VS_SCAN_OPTIMIZATION : -1;
        if (event != VE_SCANS_COMPLETED || v < 0)
            return -1;
        if (v >= 2001000 && v <= 2003001)
            return (full = boolean(a->full_arch)) < 0 ? -1
                   : full ? VS_SCAN_OPTIMIZATION : VS_ALIGNMENT;
        return VS_ALIGNMENT;
    case VS_SCAN_OPTIMIZATION:
        return event == VE_OPTIMIZATION_DONE ? VS_ALIGNMENT
               : event == VE_RESCAN        ? VS_SCANNING : -1;
    case VS_ALIGNMENT:
        return event == VE_ALIGNMENT_DONE ? VS_IN_REVIEW
               : event == VE_RESCAN     ? VS_SCANNING : -1;
    case VS_IN_REVIEW:
        if (event == VE_RESCAN)
            return VS_SCANNING;
        if (event != VE_REVIEW_DONE || !a->scan_type)
            return -1;
        if (strcmp(a->scan_type, "quick") == 0)
            return VS_DELAYED;
        return strcmp(a->scan_type, "full_arch") == 0 ||
                       strcmp(a->scan_type, "other") == 0
                   ? VS_READY_TO_EXPORT : -1;
    case VS_DELAYED:
        return event == VE_PLAN_COMPLETED ? VS_READY_TO_EXPORT : -1;
    case VS_READY_TO_EXPORT:
        switch (event) {
        case VE_SEND_TO_LAB: return VS_IN_UPLOAD_QUEUE;
        case VE_EXPORT_LOCALLY: return VS_EXPORTED_LOCALLY;
        case VE_EXPORT_CHAIRSIDE: return VS_EXPORTED_CHAIRSIDE;
        case VE_EXPORT_CLEAR_CORRECT: return VS_EXPORTED_CLEAR_CORRECT;
        default: return -1;
        }
    case VS_IN_UPLOAD_QUEUE:
        return event == VE_UPLOAD_STARTED ? VS_UPLOADING : -1;
    case VS_UPLOADING:
        return event == VE_UPLOAD_DONE ? VS_EXPORTED
               : event == VE_DWOS_ERROR ? VS_IN_ERROR : -1;
    case VS_EXPORTED:
        return event == VE_LAB_CANCELLED ? VS_CANCELLED
               : event == VE_DWOS_ERROR  ? VS_IN_ERROR
               : event == VE_CLOSE       ? VS_CLOSED : -1;
    case VS_IN_ERROR:
        return event == VE_LAB_CANCELLED      ? VS_CANCELLED
               : event == VE_REMOTE_STATUS_KNOWN ? VS_EXPORTED
               : event == VE_CLOSE            ? VS_CLOSED : -1;
    case VS_EXPORTED_LOCALLY:
    case VS_EXPORTED_CHAIRSIDE:
    case VS_EXPORTED_CLEAR_CORRECT:
    case VS_CANCELLED:
        return event == VE_CLOSE ? VS_CLOSED : -1;
    default:
        return -1;
    }
}

const char *const vivo_event_names[VE_COUNT] = {
    "start_scan", "scans_completed", "optimize_scan", "optimization_done",
    "rescan", "alignment_done", "review_done", "plan_completed",
    "send_to_lab", "upload_started", "upload_done", "export_locally",
    "export_chairside", "export_clear_correct", "lab_cancelled",
    "dwos_error", "remote_status_known", "close"};
