using SemiCmr.Ml.Training;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace SemiCmr.Cli.Common;

/// <summary>Spectre's help, plus a TRAINING OPTIONS section (flag, default, help, range) read from the catalog.</summary>
public sealed class TrainingHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetOptions(ICommandModel model, ICommandInfo? command)
    {
        foreach (var renderable in base.GetOptions(model, command)) yield return renderable;
        if (command is null || !TrainingFlags.Commands.Contains(command.Name)) yield break;

        yield return new Markup(Environment.NewLine + "[yellow]TRAINING OPTIONS:[/]" + Environment.NewLine);
        var grid = new Grid();
        grid.AddColumn(new GridColumn { Padding = new Padding(4, 0, 6, 0) });
        grid.AddColumn(new GridColumn { Padding = new Padding(0, 0, 4, 0) });
        grid.AddColumn(new GridColumn { Padding = new Padding(0) });
        grid.AddRow(new Text(""), new Text("DEFAULT", new Style(Color.Lime)), new Text(""));
        foreach (var group in TrainingOptionCatalog.All.GroupBy(o => o.Group).OrderBy(g => g.Key))
        {
            grid.AddRow(new Text(TrainingOptionCatalog.Title(group.Key), new Style(decoration: Decoration.Bold)), new Text(""), new Text(""));
            foreach (var option in group)
                grid.AddRow(new Text($"    {option.Flag} <{(option.IsInteger ? "N" : "X")}>"), new Text(TrainingOption.Text(option.Default)),
                    new Text($"{option.Help} From {TrainingOption.Text(option.Min)} to {TrainingOption.Text(option.Max)}."));
        }
        yield return grid;
    }
}
