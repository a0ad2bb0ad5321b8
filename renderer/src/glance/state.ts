// The glance feature's state, for the store's composition: the station's answer sound.
export { createGlanceSlice, type GlanceSlice } from './glance-slice.ts';
