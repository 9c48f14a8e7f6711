/** Files that look unused for a while (access and modification times in the past), for tests of cache pruning. */
import * as fs from "fs";
import * as path from "path";

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Writes `file` (and its folder), last read `readDaysAgo` and last written `writtenDaysAgo` days
 * before `now`. Returns the file's path.
 */
export function writeAged(file: string, readDaysAgo: number, writtenDaysAgo = readDaysAgo, now = Date.now(), text = "stale"): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.utimesSync(file, new Date(now - readDaysAgo * DAY_MS), new Date(now - writtenDaysAgo * DAY_MS));
  return file;
}
