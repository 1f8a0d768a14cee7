// Innocent words that contain a dictionary word where the dictionary allows one inside longer words
// (see ROOTS in dictionary.ts), written by hand. Words that merely contain a dictionary word elsewhere
// (Scunthorpe, cocktail, assassin, Dickens, therapist) need no entry: only whole words match there;
// thousands more are derived from public word lists (derived-words.ts).
export const SAFE_WORDS: readonly string[] = [
  // "shit" at the start or end of a word
  'shiitake',
  'shitake',
  'mishit',
  'mishits',
  'mishitting',
  'mishitted',
  'shittim',
  'shittah',
  'shitara',
  'shitamachi',
  'shitaya',
  'shitsuke',
  'rashit',
  'dikshit',
  // plurals of words: "lesbo" is a slur, Lesbos a Greek island often in the news
  'lesbos',
  // "twat" at the start: to chatter; and Twatt, villages of Orkney and Shetland (Old Norse þveit, a
  // clearing), which reads as "twat" with a doubled letter.
  'twattle',
  'twatt',
];
