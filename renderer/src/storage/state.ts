// The storage feature's state, for the store's composition: whether check-ins are being saved,
// free space, and the damaged-database notices with their salvaged check-ins.
export { createStorageSlice, type StorageSlice } from './storage-slice.ts';
