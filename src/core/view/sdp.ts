// SDP read for people: one fold per m-section with its direction and codecs,
// so that a 200-line offer can be scanned in a glance.

export interface SdpSection {
  /** 'session' for the lines before the first m= line */
  kind: string;
  mid: string | null;
  /** sendrecv / sendonly / recvonly / inactive, or null (session part, data channels) */
  direction: string | null;
  /** codec names in preference order, e.g. `opus/48000/2`, `VP8/90000` */
  codecs: string[];
  /** port 0: a rejected or stopped section */
  rejected: boolean;
  lines: string[];
}

const DIRECTIONS = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

export function parseSdp(sdp: string): SdpSection[] {
  const lines = sdp.split(/\r?\n/).filter((l) => l.length > 0);
  const sections: SdpSection[] = [{ kind: 'session', mid: null, direction: null, codecs: [], rejected: false, lines: [] }];
  let current = sections[0]!;
  let payloadOrder: string[] = [];
  let rtpmap = new Map<string, string>();
  const finish = () => {
    if (current.kind !== 'session') current.codecs = payloadOrder.map((pt) => rtpmap.get(pt)).filter((c): c is string => c !== undefined);
  };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      finish();
      const [kind = '', port = '', , ...formats] = line.slice(2).split(' ');
      current = { kind, mid: null, direction: null, codecs: [], rejected: port === '0', lines: [] };
      sections.push(current);
      payloadOrder = formats;
      rtpmap = new Map();
    } else if (line.startsWith('a=mid:')) {
      current.mid = line.slice(6);
    } else if (line.startsWith('a=rtpmap:')) {
      const [pt = '', codec = ''] = line.slice(9).split(' ');
      rtpmap.set(pt, codec);
    } else if (line.startsWith('a=') && DIRECTIONS.has(line.slice(2))) {
      current.direction = line.slice(2);
    }
    current.lines.push(line);
  }
  finish();
  // no session part when the text did not start with one (a fragment)
  return sections[0]!.lines.length === 0 ? sections.slice(1) : sections;
}

/** Codecs worth showing: without the helper formats that every section lists. */
export function mainCodecs(section: SdpSection): string[] {
  return section.codecs.filter((c) => !/^(rtx|red|ulpfec|flexfec-03|CN|telephone-event)\//i.test(c));
}
