// Quality scores (../shared/docs/analysis.md, "Scores"): audio MOS from the
// ITU-T G.107 E-model as WebRTC tools simplify it, and ObserveRTC-style 0–5
// penalty scores for video and the connection. Estimates: always shown with
// the numbers behind them.

import type { Band } from './types';

export type AudioCodecModel = 'opus' | 'g711';

export interface MosInputs {
  /** round-trip time, ms */
  rttMs: number;
  /** jitter-buffer delay, ms */
  jitterBufferMs: number;
  /** packet loss, percent (0..100) */
  lossPct: number;
  codec: AudioCodecModel;
}

/** One-way mouth-to-ear delay estimate: RTT/2 + jitter buffer + 20 ms (packetisation and processing). */
export function oneWayDelayMs(rttMs: number, jitterBufferMs: number): number {
  return rttMs / 2 + jitterBufferMs + 20;
}

/** Delay impairment Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3). */
export function delayImpairment(d: number): number {
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/** R factor → MOS (G.107 Annex B). */
export function rToMos(r: number): number {
  if (r < 0) return 1;
  if (r > 100) return 4.5;
  return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
}

/**
 * The R factor: G.711 (narrowband, Ro 93.2, Ie 0, Bpl 4.3) or Opus (fullband
 * per G.107.2 / G.113: Ro 148, Ie 10.2, Bpl 9.6, rescaled by 1.48 to the
 * narrowband range).
 */
export function rFactor(i: MosInputs): number {
  const id = delayImpairment(oneWayDelayMs(i.rttMs, i.jitterBufferMs));
  const ppl = Math.max(0, i.lossPct);
  if (i.codec === 'g711') {
    const ie = 0;
    const ieEff = ie + ((95 - ie) * ppl) / (ppl + 4.3);
    return 93.2 - id - ieEff;
  }
  const ie = 10.2;
  const ieEff = ie + ((132 - ie) * ppl) / (ppl + 9.6);
  return (148 - id - ieEff) / 1.48;
}

export function mos(i: MosInputs): number {
  return rToMos(rFactor(i));
}

/** The E-model variant for a codec mime type: G.711 for PCMU / PCMA (and other narrowband codecs), Opus otherwise. */
export function codecModel(mimeType: string | undefined): AudioCodecModel {
  return mimeType !== undefined && /pcmu|pcma|g711|g722|ilbc/i.test(mimeType) ? 'g711' : 'opus';
}

export interface PenaltyInputs {
  rttMs?: number;
  lossPct?: number;
  /** the share of the interval the encoder was CPU-limited, 0..1 */
  cpuLimited?: number;
  /** frame rate standard deviation / mean over the recent samples */
  fpsVolatility?: number;
  /** dropped frames / received frames, 0..1 */
  droppedShare?: number;
  /** bitrate sent / encoder target, 0..1+ */
  bitrateVsTarget?: number;
}

/** The penalties that apply (name → points), from the ObserveRTC-style rules. */
export function penalties(i: PenaltyInputs): Record<string, number> {
  const p: Record<string, number> = {};
  if (i.rttMs !== undefined) {
    if (i.rttMs > 300) p.rtt = 2;
    else if (i.rttMs > 150) p.rtt = 1;
  }
  if (i.lossPct !== undefined) {
    if (i.lossPct >= 20) p.loss = 5;
    else if (i.lossPct >= 5) p.loss = 2;
    else if (i.lossPct > 1) p.loss = 1;
  }
  if (i.cpuLimited !== undefined && i.cpuLimited > 0.5) p.cpu = 2;
  if (i.fpsVolatility !== undefined && i.fpsVolatility > 0.3) p.fpsVolatility = 1;
  if (i.droppedShare !== undefined && i.droppedShare > 0.05) p.droppedFrames = 1;
  if (i.bitrateVsTarget !== undefined && i.bitrateVsTarget < 0.7) p.bitrateShortfall = 1;
  return p;
}

/** 5 minus the penalties, at least 0. */
export function penaltyScore(i: PenaltyInputs): number {
  let s = 5;
  for (const v of Object.values(penalties(i))) s -= v;
  return Math.max(0, s);
}

/** Bands of the 0–5 scores: ≥ 4 good, 3–4 fair, 2–3 poor, < 2 bad. */
export function scoreBand(value: number): Band {
  return value >= 4 ? 'good' : value >= 3 ? 'fair' : value >= 2 ? 'poor' : 'bad';
}

/** Bands of MOS (G.107's user-satisfaction classes): ≥ 4.0 good, ≥ 3.6 fair, ≥ 3.1 poor, below bad. */
export function mosBand(value: number): Band {
  return value >= 4 ? 'good' : value >= 3.6 ? 'fair' : value >= 3.1 ? 'poor' : 'bad';
}

/** A running mean of a score and of the inputs behind it. */
export class Average {
  n = 0;
  private sum = 0;
  private readonly inputSums = new Map<string, { sum: number; n: number }>();
  /** the newest value of non-numeric inputs (codec, ...) */
  private readonly labels = new Map<string, string>();

  add(value: number, inputs: Record<string, number | string | undefined>): void {
    this.n++;
    this.sum += value;
    for (const [k, v] of Object.entries(inputs)) {
      if (v === undefined) continue;
      if (typeof v === 'string') {
        this.labels.set(k, v);
        continue;
      }
      const s = this.inputSums.get(k);
      if (s) {
        s.sum += v;
        s.n++;
      } else this.inputSums.set(k, { sum: v, n: 1 });
    }
  }

  merge(other: Average): void {
    this.n += other.n;
    this.sum += other.sum;
    for (const [k, v] of other.inputSums) {
      const s = this.inputSums.get(k);
      if (s) {
        s.sum += v.sum;
        s.n += v.n;
      } else this.inputSums.set(k, { ...v });
    }
    for (const [k, v] of other.labels) this.labels.set(k, v);
  }

  mean(): number | null {
    return this.n === 0 ? null : this.sum / this.n;
  }

  inputs(): Record<string, number | string> {
    const out: Record<string, number | string> = {};
    for (const [k, { sum, n }] of this.inputSums) out[k] = round(sum / n, 2);
    for (const [k, v] of this.labels) out[k] = v;
    return out;
  }
}

export const round = (x: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
