#ifndef VIVO_SWITCH_H
#define VIVO_SWITCH_H

enum {
    VS_NEW, VS_SCANNING, VS_SCAN_OPTIMIZATION, VS_ALIGNMENT, VS_IN_REVIEW,
    VS_DELAYED, VS_READY_TO_EXPORT, VS_IN_UPLOAD_QUEUE, VS_UPLOADING,
    VS_EXPORTED_LOCALLY, VS_EXPORTED, VS_EXPORTED_CHAIRSIDE,
    VS_EXPORTED_CLEAR_CORRECT, VS_CANCELLED, VS_IN_ERROR, VS_CLOSED, VS_COUNT
};
enum {
    VE_START_SCAN, VE_SCANS_COMPLETED, VE_OPTIMIZE_SCAN, VE_OPTIMIZATION_DONE,
    VE_RESCAN, VE_ALIGNMENT_DONE, VE_REVIEW_DONE, VE_PLAN_COMPLETED,
    VE_SEND_TO_LAB, VE_UPLOAD_STARTED, VE_UPLOAD_DONE, VE_EXPORT_LOCALLY,
    VE_EXPORT_CHAIRSIDE, VE_EXPORT_CLEAR_CORRECT, VE_LAB_CANCELLED,
    VE_DWOS_ERROR, VE_REMOTE_STATUS_KNOWN, VE_CLOSE, VE_COUNT
};

/* The order's attributes as the host has them: text, NULL when absent. */
typedef struct vivo_attrs {
    const char *software_version, *scan_type, *full_arch;
} vivo_attrs;

/* The next state, or -1 when the event is not allowed (or a guard reads
 * an attribute that is absent or does not read). Parses the attributes'
 * text on every call, as a host without libdosm would. */
int vivo_switch_fire(int state, int event, const vivo_attrs *a);

extern const char *const vivo_event_names[VE_COUNT];

#endif
