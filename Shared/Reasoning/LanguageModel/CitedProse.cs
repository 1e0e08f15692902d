using System.Text;
using System.Text.RegularExpressions;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Summary;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.LanguageModel;

/// <summary>
/// Reads a language model's prose, in which every sentence ends with the ids of the entries it rests on in
/// square brackets ("... stage 3 [EV-1, EV-2]."), into a <see cref="CaseSummary"/> that
/// <see cref="SummaryGrounding"/> can check like the generator's own. The reading is literal: a sentence
/// without a marker gets no citation, an id that is neither the patient, an event nor a knowledge-base
/// reference stays an event citation that the check will not find. Sentences end at . ! ? followed by
/// white space (so "7.1" does not end one), or at a line break; markers right after the full stop belong to
/// the sentence before.
/// </summary>
public static partial class CitedProse
{
    public const string SectionKey = "narrative";
    public const string SectionTitle = "Summary";

    /// <param name="author">The summary's generator version: who wrote it ("language-model:&lt;model&gt;").</param>
    public static CaseSummary ToSummary(string prose, PatientRecord record, DateTimeOffset asOf, KnowledgeBase? knowledge, string author)
    {
        ArgumentNullException.ThrowIfNull(record);
        var events = record.Events.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        Citation Resolve(string id) =>
            id == record.Patient.Id ? Citation.Patient(id)
            : events.Contains(id) ? Citation.Event(id)
            : knowledge?.Reference(id) is not null ? Citation.Reference(id)
            : Citation.Event(id);
        var sentences = Sentences(prose ?? "").Select(s => Read(s, Resolve)).ToList();
        return new CaseSummary(record.Patient.Id, asOf, author, [new SummarySection(SectionKey, SectionTitle, sentences)]);
    }

    /// <summary>The sentences of the prose, markers still in them; list bullets and markdown emphasis removed.</summary>
    public static IReadOnlyList<string> Sentences(string prose)
    {
        var text = Emphasis().Replace(ListBullet().Replace(prose.Replace("\r", "", StringComparison.Ordinal), ""), "");
        var sentences = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            var s = current.ToString().Trim();
            if (s.Length > 0) sentences.Add(s);
            current.Clear();
        }

        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                Flush();
                i++;
                continue;
            }
            if (c == '[' && MarkerEnd(text, i) is { } end)
            {
                current.Append(text, i, end - i);
                i = end;
                continue;
            }
            current.Append(c);
            i++;
            if (c is not ('.' or '!' or '?')) continue;
            // Markers after the full stop belong to this sentence.
            var k = i;
            while (true)
            {
                var m = k;
                while (m < text.Length && text[m] is ' ' or '\t') m++;
                if (m < text.Length && text[m] == '[' && MarkerEnd(text, m) is { } markerEnd)
                {
                    current.Append(text, k, markerEnd - k);
                    k = markerEnd;
                }
                else break;
            }
            i = k;
            if (i >= text.Length || char.IsWhiteSpace(text[i])) Flush();
        }
        Flush();
        return sentences;
    }

    private static int? MarkerEnd(string text, int open)
    {
        var close = text.IndexOf(']', open + 1);
        var newline = text.IndexOf('\n', open + 1);
        return close < 0 || (newline >= 0 && newline < close) ? null : close + 1;
    }

    private static SummarySentence Read(string sentence, Func<string, Citation> resolve)
    {
        var citations = new List<Citation>();
        foreach (Match marker in Marker().Matches(sentence))
        {
            foreach (var id in marker.Groups[1].Value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var citation = resolve(id);
                if (!citations.Contains(citation)) citations.Add(citation);
            }
        }
        var text = SpaceBeforePunctuation().Replace(Spaces().Replace(Marker().Replace(sentence, " "), " "), "$1").Trim();
        return new SummarySentence(text, citations);
    }

    [GeneratedRegex(@"\[([^\[\]\n]*)\]")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+", RegexOptions.Multiline)]
    private static partial Regex ListBullet();

    [GeneratedRegex(@"\*\*|__")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\s+([.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();
}
