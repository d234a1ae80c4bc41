export { startReplay, loadRecording, type ReplayOptions } from './world.js';
export { recordedSchedule, loadSchedule, deliveryId, type Schedule, type ScheduleReport, type Delivery, type DeliveryKind } from './schedule.js';
export { checkScheduleAgainst } from './schedule-check.js';
export { formatDivergence, type Divergence, type DivergenceCode } from './divergence.js';
export { canonicalStream, type Canonical } from './canonical.js';
export type { ReplayResult } from './result.js';
export { ReplayError } from './errors.js';
export { outboundKey, inboundKey, timerKey } from './keys.js';
export const REPLAY_ENTRY = new URL('./register.js', import.meta.url).href;
