// Content-script safe: no phone parsing here (libphonenumber's metadata belongs to the background).
export { type DateContext, type DateOrder, type ParsedDate, parseCrmDate } from './dates';
export { extractEmails, normalizeEmails } from './emails';
export { parseMoney } from './money';
export { instantToZoned, isValidTimeZone, type WallTime, zonedToInstant } from './time-zone';
