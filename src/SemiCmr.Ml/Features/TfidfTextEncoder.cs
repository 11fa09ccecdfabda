using System.Text;
using System.Text.Json;

namespace SemiCmr.Ml.Features;

/// <summary>
/// TF-IDF over word unigrams and bigrams plus character 2-4-grams inside words, so that languages written
/// without spaces (Chinese, Japanese) still share features between overlapping strings. The vocabulary is
/// fitted on the training texts: the most frequent terms by document frequency, half of the budget for
/// word n-grams and half for character n-grams (the other kind takes what one leaves unused), ties broken
/// by ordinal order so the same texts always give the same encoder. Sublinear tf (1 + ln tf), smoothed
/// idf (ln((1 + n) / (1 + df)) + 1), L2-normalised rows; a text with no known term is the zero vector.
/// </summary>
public sealed class TfidfTextEncoder
{
    public const int MinCharGram = 2, MaxCharGram = 4;
    private readonly Dictionary<string, int> _index;

    private TfidfTextEncoder(IReadOnlyList<string> terms, IReadOnlyList<float> idf)
    {
        Terms = terms;
        Idf = idf;
        _index = new Dictionary<string, int>(terms.Count, StringComparer.Ordinal);
        for (int i = 0; i < terms.Count; i++) _index[terms[i]] = i;
    }

    /// <summary>Terms as stored: "w:" word n-grams (bigram words joined by a space), "c:" character n-grams.</summary>
    public IReadOnlyList<string> Terms { get; }
    public IReadOnlyList<float> Idf { get; }
    public int Dimensions => Terms.Count;

    /// <summary>Bytes in memory: each term's string, its list slot and lookup entry, and its idf.</summary>
    public long EstimatedBytes
    {
        get
        {
            const int StringHeader = 24, ListSlot = 8, DictionaryEntry = 28, IdfValue = 4;
            return Terms.Sum(t => StringHeader + 2L * t.Length + ListSlot + DictionaryEntry + IdfValue);
        }
    }

    public static TfidfTextEncoder Fit(IReadOnlyList<string> trainTexts, int maxDimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDimensions, 1);
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in trainTexts)
            foreach (var term in TermCounts(text).Keys)
                df[term] = df.GetValueOrDefault(term) + 1;

        static List<KeyValuePair<string, int>> Ranked(IEnumerable<KeyValuePair<string, int>> terms) =>
            terms.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).ToList();
        var words = Ranked(df.Where(t => t.Key.StartsWith("w:", StringComparison.Ordinal)));
        var chars = Ranked(df.Where(t => t.Key.StartsWith("c:", StringComparison.Ordinal)));
        int wordBudget = Math.Min(words.Count, Math.Max(maxDimensions - chars.Count, maxDimensions / 2));
        int charBudget = Math.Min(chars.Count, maxDimensions - wordBudget);
        var chosen = words.Take(wordBudget).Concat(chars.Take(charBudget)).ToList();
        if (chosen.Count == 0)
            throw new InvalidOperationException("The training texts contain no letters or digits: TF-IDF has no vocabulary to fit.");

        int n = trainTexts.Count;
        var idf = chosen.Select(t => (float)(Math.Log((1.0 + n) / (1.0 + t.Value)) + 1.0)).ToArray();
        return new TfidfTextEncoder(chosen.Select(t => t.Key).ToArray(), idf);
    }

    public float[] Encode(string text)
    {
        var vector = new float[Dimensions];
        foreach (var (term, count) in TermCounts(text))
        {
            if (_index.TryGetValue(term, out int i)) vector[i] = (float)(1.0 + Math.Log(count)) * Idf[i];
        }
        double norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        if (norm > 0)
            for (int i = 0; i < vector.Length; i++) vector[i] = (float)(vector[i] / norm);
        return vector;
    }

    internal static Dictionary<string, int> TermCounts(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(string term) => counts[term] = counts.GetValueOrDefault(term) + 1;
        var words = Words(text);
        for (int i = 0; i < words.Count; i++)
        {
            Add("w:" + words[i]);
            if (i > 0) Add("w:" + words[i - 1] + " " + words[i]);
            // Boundary marks let "ab" at the start of a word differ from "ab" inside one.
            string padded = " " + words[i] + " ";
            for (int size = MinCharGram; size <= MaxCharGram; size++)
                for (int start = 0; start + size <= padded.Length; start++)
                    Add("c:" + padded.Substring(start, size));
        }
        return counts;
    }

    /// <summary>Runs of letters and digits, NFKC-normalised and lower-cased (culture-invariant).</summary>
    private static List<string> Words(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (char c in normalized)
        {
            if (char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark) current.Append(c);
            else if (current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }

    private sealed record Stored(string Kind, int Dimensions, int MinCharGram, int MaxCharGram, string[] Terms, float[] Idf);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes the fitted encoder as the dataset's text_encoder.json (kind "tfidf").</summary>
    public void Save(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new Stored("tfidf", Dimensions, MinCharGram, MaxCharGram, Terms.ToArray(), Idf.ToArray()), Json));

    public static TfidfTextEncoder Load(string path)
    {
        var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} is empty.");
        if (stored.Terms is null || stored.Idf is null || stored.Terms.Length != stored.Idf.Length || stored.Terms.Length == 0)
            throw new InvalidDataException($"{path} does not hold a fitted TF-IDF vocabulary.");
        return new TfidfTextEncoder(stored.Terms, stored.Idf);
    }
}
