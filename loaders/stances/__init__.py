"""Stances: who is for or against which hospital, service or concept, with the sentence that says so.

Three kinds, never mixed up:
- stated: the authors' own position, from a sentence of their proposal ("Regionen ska ha tre akutsjukhus …");
- reported: what the authors say another actor wants ("majoritetens förslag om nedläggning av …"); the holder is
  the actor spoken about, pkg:reportedBy the authors. "majoriteten" becomes a pkg:Majority actor of the proposal,
  with the parties the document names for it (or none, labelled as not named);
- derived: implied by a measure that funds/reopens/establishes (for) or cuts/closes (against) something.

Polarity comes from cue words in loaders/lexicon/stances.toml. A cue binds the mentions it governs: an object cue
the mentions after it ("återöppna X"), a passive verb the mentions before it ("X ska återöppnas"), an attributive
adjective the noun right after it ("robusta akutsjukhus"). A negation before a cue flips it; so do the authors'
harm words after a nominal cue ("en nedläggning av X skulle leda till …"): they argue against it, so for X.

One module per step: patterns (the lexicon compiled), sentences, records, cues, mentions, voices (who speaks),
binding (cues to the mentions they govern), document (a document's stances and its majority).
"""
