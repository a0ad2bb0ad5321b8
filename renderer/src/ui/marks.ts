// Marks on the page's performance timeline that the benchmarks read: the camera's frame that held
// a code (its time is the frame's), and the answer that frame led to, shown on screen.
export const CAMERA_SCAN_MARK = 'badge-desk:camera-scan';
export const ANSWER_SHOWN_MARK = 'badge-desk:answer-shown';
