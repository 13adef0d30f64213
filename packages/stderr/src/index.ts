export { writeStderr } from './write-stderr.js';
