// The printing feature's state, for the store's composition and the slices that print: printers,
// the print queue and batches, badge templates, and the ledger of print jobs this window knows.
export { createPrintingSlice, type PrintingSlice, type PrintBadgeResult } from './printing-slice.ts';
export { createTemplatesSlice, type TemplatesSlice } from './templates-slice.ts';
export { newerJob, PrintJobLedger } from './print-jobs.ts';
