// Munged SDP: a page that edits the description createOffer / createAnswer
// returned before it sets it locally. One definition for the event log and
// the analysis.

/** At most this many created descriptions remembered (a page creating offers in a loop stays bounded). */
const MAX_CREATED = 8;

/** The descriptions one connection created since it last set one locally. */
export class CreatedDescriptions {
  private created: { type: string; sdp: string }[] = [];

  /** createOffer / createAnswer returned this. */
  add(type: string, sdp: string): void {
    this.created.push({ type, sdp: normalize(sdp) });
    if (this.created.length > MAX_CREATED) this.created.shift();
  }

  /**
   * setLocalDescription set this: whether it was munged, i.e. unlike every
   * description of its type created since the last one set (a page may create
   * two offers and set the first). None created of its type (the browser's
   * own, a rollback, an answer to a remote offer set as is): not munged.
   */
  setLocal(type: string, sdp: string): boolean {
    const sameType = this.created.filter((c) => c.type === type);
    const text = normalize(sdp);
    this.created = [];
    return sameType.length > 0 && sameType.every((c) => c.sdp !== text);
  }

  /** A description set without the page seeing it (setLocalDescription() with none): nothing to compare. */
  setImplicitly(): void {
    this.created = [];
  }
}

/** SDP compared without line-ending differences. */
function normalize(sdp: string): string {
  return sdp.replace(/\r\n/g, '\n').trim();
}
