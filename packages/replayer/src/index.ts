export { startReplay, loadRecording, type ReplayOptions } from './world.js';
export type { HostRequest, HostAnswer } from './host.js';
export { recordedSchedule, deliveryEvents, loadSchedule, deliveryId, type Schedule, type ScheduleReport, type Delivery, type DeliveryKind, type Fault } from './schedule.js';
export { checkScheduleAgainst } from './schedule-check.js';
export { formatDivergence, type Divergence, type DivergenceCode } from './divergence.js';
export { canonicalStream, type Canonical } from './canonical.js';
export type { ReplayResult, RunResponse, RunRequest } from './result.js';
export type { ChooseOptions } from './choose/strategy.js';
export type { SaveOptions } from './save.js';
export { ReplayError } from './errors.js';
export { outboundKey, inboundKey, timerKey, isNetKey } from './keys.js';
export const REPLAY_ENTRY = new URL('./register.js', import.meta.url).href;
/** The preload of a process that replays many runs, one after another (host.ts). */
export const REPLAY_HOST_ENTRY = new URL('./host.js', import.meta.url).href;
