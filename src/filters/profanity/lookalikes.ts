// Letters from other scripts (and Latin letters Unicode does not decompose) that people use to
// disguise Latin words: "ѕһіт" written in Cyrillic, "ƒυϲκ" in Greek and Latin extensions, small
// capitals. Each maps to the Latin letter(s) it looks like. NFKD already handles full-width forms,
// mathematical alphanumerics, circled letters and accents, so they are not listed here.
export const LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', з: '3', к: 'k', м: 'm', н: 'h', о: 'o', п: 'n', р: 'p', с: 'c', т: 't',
  у: 'y', х: 'x', ш: 'w', ь: 'b', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l',
  ү: 'y', ѵ: 'v', ԍ: 'g',
  // Greek
  α: 'a', β: 'b', γ: 'y', ε: 'e', ζ: 'z', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u',
  χ: 'x', ω: 'w', ς: 's', ϲ: 'c', ϳ: 'j',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', զ: 'q',
  // Latin letters without a decomposition
  ı: 'i', ɡ: 'g', ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ŧ: 't', ƒ: 'f', ɑ: 'a', ʋ: 'v', ɩ: 'i', ɪ: 'i', ɛ: 'e', ð: 'd',
  ß: 'ss', æ: 'ae', œ: 'oe', ĸ: 'k', ſ: 's', ŀ: 'l',
  // Small capitals
  ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ɢ: 'g', ʜ: 'h', ᴊ: 'j', ᴋ: 'k', ʟ: 'l', ᴍ: 'm', ɴ: 'n', ᴏ: 'o', ᴘ: 'p',
  ʀ: 'r', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ʏ: 'y', ᴢ: 'z', ᴀ: 'a', ꜰ: 'f',
};

/**
 * Digits and symbols read as letters inside a word ("sh1t", "a$$", "b!+ch"). The first letter is the
 * usual reading; the second, when present, is tried too ("bu11" reads as "bull").
 */
export const LEET: Readonly<Record<string, string>> = {
  '0': 'o', '1': 'il', '2': 'z', '3': 'e', '4': 'a', '5': 's', '6': 'gb', '7': 't', '8': 'b', '9': 'g',
  '@': 'a', $: 's', '!': 'il', '|': 'il', '+': 't', '€': 'e', '¡': 'i',
};

/** Letters that also stand for another letter in disguised words ("fvck", "cvnt"). */
export const LETTER_ALTERNATIVES: Readonly<Record<string, string>> = { v: 'u' };

/** Symbols that hide one letter inside a word ("f*ck", "sh#t", "f%ck"). */
export const HIDDEN_LETTER = new Set(['*', '#', '%']);
