using System.Text.RegularExpressions;

namespace ClinicianPortal.Shared.Reasoning.Findings;

/// <summary>How a phrase is meant where it is written.</summary>
public enum MentionContext
{
    /// <summary>Said of the patient, now ("presents with chest pain").</summary>
    Affirmed,
    /// <summary>Denied or excluded ("denies chest pain", "no fever", "without dyspnoea").</summary>
    Negated,
    /// <summary>A past episode ("history of DVT", "prior MI", "former smoker", "Past medical history:").</summary>
    Historical,
    /// <summary>Said of a relative ("mother had breast cancer"): not the patient's.</summary>
    Family,
    /// <summary>Considered, not found ("rule out PE", "to evaluate for", "?PE", the differential, the plan).</summary>
    Hypothetical,
}

/// <summary>One phrase found in a text, with its context.</summary>
/// <param name="Key">What the caller registered the phrase under (a finding id).</param>
/// <param name="PhraseIsHistorical">The phrase itself speaks of the past ("history of dvt", "previous uti").</param>
/// <param name="Sentence">The sentence it was found in, for citations.</param>
public sealed record PhraseMention(string Key, string Phrase, MentionContext Context, bool PhraseIsHistorical, int Start, int Length, string Sentence);

/// <summary>
/// NegEx-style phrase matching over clinical notes: phrases and their simple variants (plurals, British
/// and American spellings) are matched case-insensitively on word boundaries; triggers before or after a
/// phrase, within its sentence and up to a termination term ("but", "however"), decide whether it is
/// negated, historical, a relative's or hypothetical. Section headers ("Past medical history:",
/// "Family history:", "Plan:") set the context of the lines under them.
/// </summary>
public sealed partial class PhraseMatcher
{
    private const int NegationScope = 10;
    private const int PostScope = 4;

    private readonly Dictionary<string, List<(string Key, string Phrase, string[] Tokens, bool Historical, bool AboutFamily)>> _byFirstToken = new(StringComparer.Ordinal);

    private static readonly TriggerSet PreNegation = new(
        "no", "not", "denies", "denied", "denying", "deny", "without", "negative for", "free of", "absence of",
        "no evidence of", "no sign of", "no signs of", "never", "none", "nor", "ruled out", "rules out", "not have",
        "did not have", "does not have", "no complaint of", "no complaints of", "resolution of", "avoid", "avoids", "avoiding", "avoided");
    private static readonly TriggerSet PostNegation = new(
        "unlikely", "ruled out", "was ruled out", "is ruled out", "absent", "not present", "not seen", "negative", "free", "denied", "excluded");
    private static readonly TriggerSet PreHistorical = new(
        "history of", "h o", "hx of", "hx", "prior", "previous", "previously", "former", "ex", "status post", "s p",
        "remote", "quit", "stopped", "discontinued");
    private static readonly TriggerSet PostHistorical = new(
        "years ago", "year ago", "months ago", "as a child", "previously", "resolved", "in childhood", "quit");
    private static readonly TriggerSet Family = new(
        "mother", "father", "brother", "sister", "sibling", "son", "daughter", "parent", "aunt", "uncle",
        "grandmother", "grandfather", "grandparent", "cousin", "family history", "family hx", "fh", "maternal", "paternal");
    private static readonly TriggerSet PreHypothetical = new(
        "rule out", "r o", "to rule out", "evaluate for", "evaluation for", "assess for", "concern for", "concerning for",
        "suspected", "suspicion of", "suspicious for", "possible", "possibly", "probable", "if", "should", "in case of",
        "watch for", "monitor for", "return if", "differential", "differential diagnosis", "ddx", "consider", "considered",
        "workup for", "work up for", "risk of", "screen for", "screening for", "versus", "vs");
    private static readonly TriggerSet PostHypothetical = new("to be ruled out", "suspected", "not excluded", "cannot be excluded", "versus", "vs");
    // Look like triggers but negate or qualify nothing.
    private static readonly TriggerSet Pseudo = new(
        "no change", "no increase", "not only", "not necessarily", "no further", "not certain if", "gram negative",
        "without difficulty", "not cause", "no significant change", "not drain");
    private static readonly TriggerSet Terminators = new(
        "but", "however", "although", "though", "except", "apart from", "aside from", "yet", "which", "who", "whereas",
        "while", "presents", "presenting", "presented", "reports", "reported", "complains", "complaining", "now has", "has had");

    /// <param name="phrases">(key, phrase) pairs; the key (a finding id) comes back with each mention.</param>
    public PhraseMatcher(IEnumerable<(string Key, string Phrase)> phrases)
    {
        foreach (var (key, phrase) in phrases)
        {
            var tokens = Tokenize(phrase).Select(t => t.Norm).ToArray();
            if (tokens.Length == 0) continue;
            if (!_byFirstToken.TryGetValue(tokens[0], out var list)) _byFirstToken[tokens[0]] = list = [];
            // A phrase about relatives ("family history of cancer") is the patient's own risk factor wherever it is written.
            list.Add((key, phrase, tokens, PreHistorical.Matches(tokens) || tokens.Any(t => t is "previous" or "prior" or "recurrent"), Family.Matches(tokens)));
        }
    }

    /// <summary>The context of one phrase in one text: null when it does not occur (first occurrence otherwise).</summary>
    public static MentionContext? Classify(string text, string phrase) =>
        new PhraseMatcher([("", phrase)]).Find(text).Select(m => (MentionContext?)m.Context).FirstOrDefault();

    /// <summary>Every registered phrase found in <paramref name="text"/>, in order.</summary>
    public List<PhraseMention> Find(string text)
    {
        var mentions = new List<PhraseMention>();
        var section = MentionContext.Affirmed;
        var lineStart = 0;
        while (lineStart <= text.Length)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0) lineEnd = text.Length;
            var line = text.AsSpan(lineStart, lineEnd - lineStart);
            var bodyStart = 0;
            if (line.IsWhiteSpace()) section = MentionContext.Affirmed;
            else if (Header().Match(text, lineStart, lineEnd - lineStart) is { Success: true } header)
            {
                section = SectionContext(header.Groups[1].Value);
                bodyStart = header.Length;
            }
            foreach (var (start, end) in Sentences(text, lineStart + bodyStart, lineEnd))
                FindInSentence(text, start, end, section, mentions);
            lineStart = lineEnd + 1;
        }
        return mentions;
    }

    private void FindInSentence(string text, int start, int end, MentionContext section, List<PhraseMention> mentions)
    {
        var tokens = Tokenize(text, start, end);
        if (tokens.Count == 0) return;
        var norms = tokens.Select(t => t.Norm).ToArray();
        var questioned = text.AsSpan(start, end - start).TrimEnd().EndsWith("?");
        for (var i = 0; i < norms.Length; i++)
        {
            if (!_byFirstToken.TryGetValue(norms[i], out var candidates)) continue;
            foreach (var (key, phrase, phraseTokens, historicalPhrase, aboutFamily) in candidates)
            {
                if (!SequenceAt(norms, i, phraseTokens)) continue;
                var last = i + phraseTokens.Length - 1;
                var context = ContextOf(text, tokens, norms, i, last, aboutFamily ? MentionContext.Affirmed : section, questioned, aboutFamily);
                var from = tokens[i].Start;
                mentions.Add(new PhraseMention(key, phrase, context, historicalPhrase, from, tokens[last].End - from, text[start..end].Trim()));
            }
        }
    }

    private static MentionContext ContextOf(string text, List<Token> tokens, string[] norms, int first, int last, MentionContext section, bool questioned, bool aboutFamily)
    {
        // The scope of pre-triggers starts after the last terminator before the phrase; post-triggers stop at the next one.
        var scopeStart = 0;
        for (var i = first - 1; i >= 0; i--)
            if (Terminators.EndsAt(norms, i) is not null) { scopeStart = i + 1; break; }
        var scopeEnd = norms.Length - 1;
        for (var i = last + 1; i < norms.Length; i++)
            if (Terminators.StartsAt(norms, i) is not null) { scopeEnd = i - 1; break; }

        bool Before(TriggerSet set, int maxDistance)
        {
            for (var i = first - 1; i >= scopeStart && first - 1 - i < maxDistance; i--)
            {
                if (set.EndsAt(norms, i) is not { } length) continue;
                if (Pseudo.Covers(norms, i - length + 1, i)) continue;
                return true;
            }
            return false;
        }
        bool After(TriggerSet set, int maxDistance)
        {
            for (var i = last + 1; i <= scopeEnd && i - last - 1 < maxDistance; i++)
            {
                if (set.StartsAt(norms, i) is not { } length) continue;
                if (Pseudo.Covers(norms, i, i + length - 1)) continue;
                return true;
            }
            return false;
        }

        if (!aboutFamily && (section == MentionContext.Family || Before(Family, int.MaxValue) || After(Family, 6))) return MentionContext.Family;
        if (section == MentionContext.Hypothetical || questioned || QuestionMarkBefore(text, tokens[first].Start)
            || Before(PreHypothetical, int.MaxValue) || After(PostHypothetical, PostScope))
            return MentionContext.Hypothetical;
        if (Before(PreNegation, NegationScope) || After(PostNegation, PostScope)) return MentionContext.Negated;
        if (section == MentionContext.Historical || Before(PreHistorical, NegationScope) || After(PostHistorical, PostScope))
            return MentionContext.Historical;
        return MentionContext.Affirmed;
    }

    /// <summary>"?PE", "? pneumonia": a query written before the phrase.</summary>
    private static bool QuestionMarkBefore(string text, int position)
    {
        for (var i = position - 1; i >= 0; i--)
        {
            if (text[i] == '?') return true;
            if (!char.IsWhiteSpace(text[i])) return false;
        }
        return false;
    }

    private static MentionContext SectionContext(string header)
    {
        var h = header.Trim().ToLowerInvariant();
        if (h.Contains("family", StringComparison.Ordinal) || h is "fh" or "fhx") return MentionContext.Family;
        // Past history, and allergies (the reactions listed are past episodes).
        if (h.Contains("past", StringComparison.Ordinal) || h.StartsWith("allerg", StringComparison.Ordinal) || h is "pmh" or "psh")
            return MentionContext.Historical;
        if (h is "plan" or "differential" or "differential diagnosis" or "ddx" or "recommendations") return MentionContext.Hypothetical;
        return MentionContext.Affirmed;
    }

    /// <summary>Sentence spans of [start, end): split after . ! ? ; followed by a space (not "0.4", not "Dr.").</summary>
    private static IEnumerable<(int Start, int End)> Sentences(string text, int start, int end)
    {
        var from = start;
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (c is not ('.' or '!' or '?' or ';')) continue;
            if (i + 1 < end && !char.IsWhiteSpace(text[i + 1])) continue;
            if (c == '.' && IsAbbreviation(text, from, i)) continue;
            yield return (from, i + 1);
            from = i + 1;
        }
        if (from < end) yield return (from, end);
    }

    private static bool IsAbbreviation(string text, int sentenceStart, int dot)
    {
        var wordStart = dot;
        while (wordStart > sentenceStart && char.IsLetter(text[wordStart - 1])) wordStart--;
        var word = text.AsSpan(wordStart, dot - wordStart);
        return word is "Dr" or "Mr" or "Mrs" or "Ms" or "vs" or "approx" or "e.g" or "i.e" || (word.Length == 1 && char.IsUpper(word[0]));
    }

    private static bool SequenceAt(string[] norms, int at, string[] sequence)
    {
        if (at + sequence.Length > norms.Length) return false;
        for (var k = 0; k < sequence.Length; k++)
            if (!string.Equals(norms[at + k], sequence[k], StringComparison.Ordinal)) return false;
        return true;
    }

    internal readonly record struct Token(string Norm, int Start, int End);

    internal static List<Token> Tokenize(string text) => Tokenize(text, 0, text.Length);

    /// <summary>Words and numbers, lower-cased and normalised (see <see cref="Normalize"/>); punctuation separates.</summary>
    internal static List<Token> Tokenize(string text, int start, int end)
    {
        var tokens = new List<Token>();
        var i = start;
        while (i < end)
        {
            if (!char.IsLetterOrDigit(text[i])) { i++; continue; }
            var s = i;
            while (i < end && (char.IsLetterOrDigit(text[i]) || (text[i] == '\'' && i + 1 < end && char.IsLetter(text[i + 1])))) i++;
            tokens.Add(new Token(Normalize(text.AsSpan(s, i - s)), s, i));
        }
        return tokens;
    }

    /// <summary>Lower case, British → American spelling (oe/ae → e, -ise → -ize), plural → singular.</summary>
    internal static string Normalize(ReadOnlySpan<char> word)
    {
        var w = word.ToString().ToLowerInvariant().Replace("'", "", StringComparison.Ordinal);
        if (w.Length > 4) w = w.Replace("oe", "e", StringComparison.Ordinal).Replace("ae", "e", StringComparison.Ordinal);
        if (w.EndsWith("isation", StringComparison.Ordinal)) w = w[..^7] + "ization";
        else if (w.EndsWith("ised", StringComparison.Ordinal) && w.Length > 6) w = w[..^4] + "ized";
        else if (w.EndsWith("ising", StringComparison.Ordinal) && w.Length > 7) w = w[..^5] + "izing";
        if (w.Length > 7 && w.EndsWith("iness", StringComparison.Ordinal)) return w[..^5] + "y";
        if (w.Length > 6 && w.EndsWith("ness", StringComparison.Ordinal)) return w[..^4];
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal)) return w[..^3] + "y";
        if (w.Length > 4 && (w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal)))
            return w[..^2];
        if (w.Length > 3 && w[^1] == 's' && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal)
            && !w.EndsWith("is", StringComparison.Ordinal) && !w.EndsWith("ous", StringComparison.Ordinal))
            return w[..^1];
        return w;
    }

    [GeneratedRegex(@"\G[ \t]*([A-Za-z][A-Za-z /&-]{1,40}):[ \t]*")]
    private static partial Regex Header();

    /// <summary>A set of trigger terms, each a sequence of normalised tokens.</summary>
    private sealed class TriggerSet
    {
        private readonly string[][] _terms;

        public TriggerSet(params string[] terms) =>
            _terms = terms.Select(t => Tokenize(t).Select(x => x.Norm).ToArray()).OrderByDescending(t => t.Length).ToArray();

        /// <summary>Length of the longest term starting at <paramref name="at"/>, or null.</summary>
        public int? StartsAt(string[] norms, int at)
        {
            foreach (var term in _terms)
                if (SequenceAt(norms, at, term)) return term.Length;
            return null;
        }

        /// <summary>Length of the longest term ending at <paramref name="at"/>, or null.</summary>
        public int? EndsAt(string[] norms, int at)
        {
            foreach (var term in _terms)
                if (at - term.Length + 1 >= 0 && SequenceAt(norms, at - term.Length + 1, term)) return term.Length;
            return null;
        }

        /// <summary>Whether a term covers the token span [from, to].</summary>
        public bool Covers(string[] norms, int from, int to)
        {
            foreach (var term in _terms)
                for (var s = Math.Max(0, to - term.Length + 1); s <= from; s++)
                    if (SequenceAt(norms, s, term)) return true;
            return false;
        }

        /// <summary>Whether any term occurs in the token sequence.</summary>
        public bool Matches(string[] norms)
        {
            for (var i = 0; i < norms.Length; i++)
                if (StartsAt(norms, i) is not null) return true;
            return false;
        }
    }
}
