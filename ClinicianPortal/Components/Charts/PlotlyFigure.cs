namespace ClinicianPortal.Components.Charts;

/// <summary>A plotly figure as JSON ({"data": [...], "layout": {...}}) and the height it is laid out for, in pixels.</summary>
public sealed record PlotlyFigure(string Json, int Height)
{
    public static readonly PlotlyFigure Empty = new("""{"data":[],"layout":{}}""", 200);
}
