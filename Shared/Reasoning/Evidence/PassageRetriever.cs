using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Evidence;

/// <summary>Where a retrieved passage comes from.</summary>
public enum PassageSource
{
    /// <summary>A knowledge-base reference's passage (the project's paraphrase); the id is the reference id.</summary>
    Reference,
    /// <summary>A sentence of one of the patient's notes; the id is the note's event id.</summary>
    Chart,
}

/// <summary>A passage that supports a diagnosis, with where it comes from and how well it matches (BM25).</summary>
/// <param name="SourceId">The reference id or the chart event id.</param>
/// <param name="Title">The reference's title or the note's title.</param>
/// <param name="Paraphrase">True for reference passages: the text is the project's paraphrase, not a quotation.</param>
/// <param name="Date">The note's date (chart passages).</param>
public sealed record SupportingPassage(PassageSource Source, string SourceId, string Title, string Text, double Score, bool Paraphrase, DateTimeOffset? Date);

/// <summary>
/// Finds the passages that support one condition: the knowledge base's reference passages written for it, and the
/// sentences of the patient's notes that affirm its name, a synonym or one of its supporting findings (negated,
/// hypothetical and relatives' mentions are left out, via <see cref="PhraseMatcher"/>). Both are ranked by Okapi
/// BM25 against a query of the condition's names and its supporting findings' names and phrases, the findings
/// present in this patient weighing more. Deterministic: the same record and knowledge base give the same list.
/// Thread-safe: share one per knowledge base (it remembers the notes of the last record it read).
/// </summary>
public sealed class PassageRetriever
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int MaxSentenceLength = 320;

    // Weights of the query's parts: the diagnosis's own names first, then what this chart shows, then the rest.
    private const double NameWeight = 2.0;
    private const double PresentFindingWeight = 1.5;
    private const double FindingWeight = 1.0;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of", "on",
        "or", "she", "he", "that", "the", "their", "this", "to", "was", "were", "with", "which", "than", "then", "there",
        "these", "those", "into", "over", "per", "any", "each", "more", "most", "less", "other", "such", "also", "but",
    };

    private readonly KnowledgeBase _kb;
    private readonly IReadOnlyList<Document> _referencePassages;
    // Every finding phrase (keyed by finding id) and every condition name (keyed by NameKey): one pass over the notes serves all conditions.
    private readonly PhraseMatcher _matcher;
    private readonly Lock _lock = new();
    // A review asks for every candidate of one record in turn: read its notes once.
    private (PatientRecord Record, DateTimeOffset? AsOf, IReadOnlyList<NoteMention> Mentions)? _lastRead;

    public PassageRetriever(KnowledgeBase kb)
    {
        ArgumentNullException.ThrowIfNull(kb);
        _kb = kb;
        _referencePassages = [.. kb.References.SelectMany(r => r.Passages.Select(p =>
            new Document(PassageSource.Reference, r.Id, r.Title, p.Text, p.Condition, p.Paraphrase, null, Terms(p.Text))))];
        _matcher = new PhraseMatcher(
            kb.Findings.SelectMany(f => f.Detection.Phrases.Select(p => (f.Id, p)))
                .Concat(kb.Conditions.SelectMany(c => KnowledgeBase.NamesOf(c).Select(n => (NameKey(c.Id), n.ToLowerInvariant())))));
    }

    private static string NameKey(string conditionId) => "condition:" + conditionId;

    /// <summary>
    /// The passages supporting <paramref name="conditionId"/>, best first: at most <paramref name="maxReferences"/>
    /// reference passages and <paramref name="maxChart"/> note sentences, merged by score.
    /// </summary>
    /// <param name="asOf">Notes written after this moment are not read (default: all).</param>
    /// <param name="presentFindings">Finding ids present in this patient: their words weigh more in the query.</param>
    public IReadOnlyList<SupportingPassage> Retrieve(string conditionId, PatientRecord record, DateTimeOffset? asOf = null,
        IReadOnlyCollection<string>? presentFindings = null, int maxReferences = 4, int maxChart = 5)
    {
        ArgumentNullException.ThrowIfNull(record);
        var condition = _kb.Condition(conditionId) ?? throw new ArgumentException($"'{conditionId}' is not a condition of the knowledge base.", nameof(conditionId));
        var present = presentFindings ?? [];
        var supporting = condition.Findings.Where(f => f.Effect == FindingEffect.Supports)
            .Select(f => _kb.Finding(f.Finding)).OfType<Finding>().ToList();

        var query = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string text, double weight)
        {
            foreach (var term in Terms(text))
                query[term] = Math.Max(query.GetValueOrDefault(term), weight);
        }
        foreach (var name in KnowledgeBase.NamesOf(condition)) Add(name, NameWeight);
        foreach (var f in supporting)
        {
            var weight = present.Contains(f.Id) ? PresentFindingWeight : FindingWeight;
            Add(f.Name, weight);
            foreach (var phrase in f.Detection.Phrases) Add(phrase, weight);
        }

        var chart = NoteSentences(condition, supporting, record, asOf);
        var corpus = _referencePassages.Concat(chart).ToList();
        var scorer = new Bm25(corpus);

        var references = _referencePassages.Where(d => d.ConditionId == condition.Id)
            .Select(d => (Doc: d, Score: scorer.Score(d, query))).OrderByDescending(x => x.Score).ThenBy(x => x.Doc.SourceId, StringComparer.Ordinal)
            .Take(maxReferences);
        var notes = chart.Select(d => (Doc: d, Score: scorer.Score(d, query))).Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score).ThenByDescending(x => x.Doc.Date).ThenBy(x => x.Doc.SourceId, StringComparer.Ordinal).ThenBy(x => x.Doc.Text, StringComparer.Ordinal)
            .Take(maxChart);
        return [.. references.Concat(notes)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Doc.Source).ThenBy(x => x.Doc.SourceId, StringComparer.Ordinal).ThenBy(x => x.Doc.Text, StringComparer.Ordinal)
            .Select(x => new SupportingPassage(x.Doc.Source, x.Doc.SourceId, x.Doc.Title, x.Doc.Text, Math.Round(x.Score, 3), x.Doc.Paraphrase, x.Doc.Date))];
    }

    /// <summary>Sentences of the patient's notes that affirm (or give as history) a name of the condition or a supporting finding's phrase.</summary>
    private List<Document> NoteSentences(Condition condition, List<Finding> supporting, PatientRecord record, DateTimeOffset? asOf)
    {
        var keys = supporting.Select(f => f.Id).Append(NameKey(condition.Id)).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var sentences = new List<Document>();
        foreach (var (note, mention) in MentionsOf(record, asOf))
        {
            if (!keys.Contains(mention.Key)) continue;
            // Templated notes repeat sentences: the newest note's copy stands for all.
            if (!seen.Add(mention.Sentence)) continue;
            var text = mention.Sentence.Length <= MaxSentenceLength ? mention.Sentence : mention.Sentence[..(MaxSentenceLength - 1)] + "…";
            sentences.Add(new Document(PassageSource.Chart, note.Id, note.Title, text, null, false, note.Start, Terms(mention.Sentence)));
        }
        return sentences;
    }

    private sealed record NoteMention(ClinicalEvent Note, PhraseMention Mention);

    /// <summary>Affirmed and historical mentions in the notes up to <paramref name="asOf"/>, newest note first.</summary>
    private IReadOnlyList<NoteMention> MentionsOf(PatientRecord record, DateTimeOffset? asOf)
    {
        lock (_lock)
        {
            if (_lastRead is { } last && ReferenceEquals(last.Record, record) && last.AsOf == asOf) return last.Mentions;
        }
        var mentions = record.Events
            .Where(e => e.Kind == EventKind.Note && !string.IsNullOrWhiteSpace(e.Text) && (asOf is null || e.Start is null || e.Start <= asOf))
            .OrderByDescending(e => e.Start).ThenBy(e => e.Id, StringComparer.Ordinal)
            .SelectMany(note => _matcher.Find(note.Text!)
                .Where(m => m.Context is MentionContext.Affirmed or MentionContext.Historical)
                .Select(m => new NoteMention(note, m)))
            .ToList();
        lock (_lock) _lastRead = (record, asOf, mentions);
        return mentions;
    }

    /// <summary>Normalised word tokens (as the phrase matcher reads them), without stop words.</summary>
    private static string[] Terms(string text) =>
        [.. PhraseMatcher.Tokenize(text).Select(t => t.Norm).Where(t => !StopWords.Contains(t))];

    private sealed record Document(PassageSource Source, string SourceId, string Title, string Text, string? ConditionId, bool Paraphrase,
        DateTimeOffset? Date, string[] Terms);

    /// <summary>Okapi BM25 over one corpus (k1 = 1.2, b = 0.75), with weighted query terms.</summary>
    private sealed class Bm25
    {
        private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
        private readonly int _count;
        private readonly double _averageLength;

        public Bm25(IReadOnlyList<Document> corpus)
        {
            _count = corpus.Count;
            _averageLength = corpus.Count == 0 ? 1 : Math.Max(1, corpus.Average(d => d.Terms.Length));
            foreach (var d in corpus)
                foreach (var term in d.Terms.Distinct(StringComparer.Ordinal))
                    _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
        }

        public double Score(Document d, IReadOnlyDictionary<string, double> query)
        {
            var frequencies = d.Terms.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var score = 0.0;
            foreach (var (term, weight) in query.OrderBy(q => q.Key, StringComparer.Ordinal))
            {
                if (!frequencies.TryGetValue(term, out var tf)) continue;
                var df = _documentFrequency.GetValueOrDefault(term);
                var idf = Math.Log(1 + (_count - df + 0.5) / (df + 0.5));
                score += weight * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * d.Terms.Length / _averageLength));
            }
            return score;
        }
    }
}
