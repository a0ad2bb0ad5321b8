// The printing feature's screens, for the shell and other features: the print queue, the
// Settings sections for printers and badge templates, batch printing on the event page, and where
// badges print (the desk's settings and the kiosk's start both ask).
import './printing.css';

export { PrintQueuePage } from './PrintQueuePage.tsx';
export { PrintersSection } from './PrintersSettings.tsx';
export { TemplatesSection } from './TemplateSettings.tsx';
export { BatchPrintDialog, BatchPrintProgress } from './BatchPrint.tsx';
export { PrintAtField } from './PrintAtField.tsx';
