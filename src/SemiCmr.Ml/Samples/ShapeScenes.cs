namespace SemiCmr.Ml.Samples;

public enum ShapeKind { Circle, Square, Triangle }

/// <summary>A named colour of the demo palette.</summary>
public sealed record ShapeColour(string Name, byte R, byte G, byte B);

/// <summary>One filled shape: centre and half-size in pixels.</summary>
public sealed record Shape(ShapeKind Kind, ShapeColour Colour, bool Large, int CenterX, int CenterY, int HalfSize)
{
    public string Name => Kind.ToString().ToLowerInvariant();

    public string Describe() => $"a {(Large ? "large" : "small")} {Colour.Name} {Name}";
}

/// <summary>A generated scene: its shapes, caption and labels (every shape and colour concept present).</summary>
public sealed record Scene(int Index, IReadOnlyList<Shape> Shapes, string Caption, IReadOnlyList<string> Labels, bool IsTest);

/// <summary>
/// Seeded scenes of one or two coloured shapes with a caption that says what is where, e.g.
/// "a large red circle left of a small blue square". Everything follows from the seed.
/// </summary>
public static class ShapeScenes
{
    public const int Size = 128;

    public static readonly IReadOnlyList<ShapeColour> Palette =
    [
        new("red", 220, 40, 40), new("green", 40, 170, 60), new("blue", 40, 80, 220), new("yellow", 235, 205, 30),
    ];

    public static IReadOnlyList<Scene> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var scenes = new List<Scene>(count);
        // 80/20 split by a seeded shuffle, so the test share is exact.
        var testRows = Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(count / 5).ToHashSet();
        for (int i = 0; i < count; i++) scenes.Add(Next(i, random, testRows.Contains(i)));
        return scenes;
    }

    private static Scene Next(int index, Random random, bool isTest)
    {
        if (random.NextDouble() < 0.35)
        {
            var single = RandomShape(random, Size / 2 + random.Next(-12, 13), Size / 2 + random.Next(-12, 13));
            return Build(index, [single], single.Describe(), isTest);
        }
        bool sideBySide = random.NextDouble() < 0.6;
        int near = Size / 4 + 4, far = Size - Size / 4 - 4;
        int jitter() => random.Next(-6, 7);
        var first = sideBySide ? RandomShape(random, near + jitter(), Size / 2 + jitter()) : RandomShape(random, Size / 2 + jitter(), near + jitter());
        var second = sideBySide ? RandomShape(random, far + jitter(), Size / 2 + jitter()) : RandomShape(random, Size / 2 + jitter(), far + jitter());
        // Say it either way round so captions do not always start with the left or upper shape.
        string caption = random.NextDouble() < 0.5
            ? $"{first.Describe()} {(sideBySide ? "left of" : "above")} {second.Describe()}"
            : $"{second.Describe()} {(sideBySide ? "right of" : "below")} {first.Describe()}";
        return Build(index, [first, second], caption, isTest);
    }

    private static Shape RandomShape(Random random, int x, int y)
    {
        var kind = (ShapeKind)random.Next(3);
        var colour = Palette[random.Next(Palette.Count)];
        bool large = random.NextDouble() < 0.5;
        int half = large ? 22 + random.Next(5) : 10 + random.Next(4);
        return new Shape(kind, colour, large, x, y, half);
    }

    private static Scene Build(int index, IReadOnlyList<Shape> shapes, string caption, bool isTest)
    {
        var labels = shapes.Select(s => s.Colour.Name).Concat(shapes.Select(s => s.Name)).Distinct().Order(StringComparer.Ordinal).ToList();
        return new Scene(index, shapes, caption, labels, isTest);
    }
}
