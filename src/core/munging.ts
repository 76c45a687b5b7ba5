// Munged SDP: a page that edits the description createOffer / createAnswer
// returned before it sets it locally. One definition for the event log and
// the analysis.

/** At most this many created descriptions remembered (a page creating offers in a loop stays bounded). */
const MAX_CREATED = 8;

/**
 * One connection's local descriptions: what it created since it last set one,
 * and whether the last set had no description of its own.
 */
export class LocalDescriptions {
  private created: { type: string; sdp: string }[] = [];
  private implicit = false;

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
    this.implicit = false;
    return sameType.length > 0 && sameType.every((c) => c.sdp !== text);
  }

  /**
   * setLocalDescription() without a description (perfect negotiation): the
   * browser makes its own, which the page never saw, so nothing to compare;
   * its success reports it.
   */
  setImplicitly(): void {
    this.created = [];
    this.implicit = true;
  }

  /** setLocalDescription succeeded: whether the description its success reports is the one set (the call had none). Once per call. */
  succeeded(): boolean {
    const implicit = this.implicit;
    this.implicit = false;
    return implicit;
  }
}

/** SDP compared without line-ending differences. */
function normalize(sdp: string): string {
  return sdp.replace(/\r\n/g, '\n').trim();
}
