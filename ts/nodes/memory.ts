// The bench's memory watch (issue 17: 100,000 nodes under 4 GB): the resident memory of this process (its worker
// threads included) and of Anvil, from /proc/<pid>/status (Linux; elsewhere the figures stay 0): the peaks (VmHWM,
// exact), the sum sampled every `intervalMs`, and a hard stop when the sum passes `maxMb` (the machine is shared).
import {readFileSync} from "node:fs";

export interface Rss {
  rssMb: number;
  hwmMb: number;
}

/** VmRSS and VmHWM (peak) of `pid` in MB, or undefined where /proc has no such process. */
export function rssOf(pid: number | "self"): Rss | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  return {rssMb: Math.round(kb("VmRSS") / 1024), hwmMb: Math.round(kb("VmHWM") / 1024)};
}

export class MemoryWatch {
  private peakTotal = 0;
  private anvilHwm = 0;
  private simHwm = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `onLimit` runs once when the sum passes `maxMb` (the bench exits there). */
  constructor(
    private readonly anvilPid: number,
    private readonly maxMb: number,
    private readonly onLimit: (totalMb: number) => void,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Current RSS of Anvil and of this process [MB]; updates the peaks. */
  now(): {anvilMb: number; simMb: number} {
    const a = rssOf(this.anvilPid);
    const s = rssOf("self");
    if (a) this.anvilHwm = Math.max(this.anvilHwm, a.hwmMb);
    if (s) this.simHwm = Math.max(this.simHwm, s.hwmMb);
    return {anvilMb: a?.rssMb ?? 0, simMb: s?.rssMb ?? 0};
  }

  private sample() {
    const {anvilMb, simMb} = this.now();
    this.peakTotal = Math.max(this.peakTotal, anvilMb + simMb);
    if (anvilMb + simMb > this.maxMb && this.timer) {
      this.stop();
      this.onLimit(anvilMb + simMb);
    }
  }

  /** Stops sampling; the peaks [MB]: this process, Anvil (VmHWM each), and their sum as sampled. */
  stop(): {simMb: number; anvilMb: number; totalMb: number} {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      const {anvilMb, simMb} = this.now();
      this.peakTotal = Math.max(this.peakTotal, anvilMb + simMb);
    }
    return {simMb: this.simHwm, anvilMb: this.anvilHwm, totalMb: this.peakTotal};
  }
}
