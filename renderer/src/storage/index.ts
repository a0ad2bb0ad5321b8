// The storage feature's screens, for the pages that show them: the banner that says check-ins are
// not being saved (or space runs low), and the admin's notices about a damaged database.
import './storage.css';

export { DamagedDatabaseNotices, StorageBanner } from './StorageNotices.tsx';
