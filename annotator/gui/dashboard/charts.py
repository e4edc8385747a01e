"""The dashboard's two kinds of chart, built from plain figures: bars of counts by category
(lying down, so a category's name is read whole), and lines over days (one per annotator).
Only layout: the figures come from the core."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QPainter


def view() -> QChartView:
    shown = QChartView()
    shown.setRenderHint(QPainter.RenderHint.Antialiasing)
    shown.setMinimumSize(300, 220)
    return shown


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def bars(title: str, counts: dict[str, int]) -> QChart:
    """One bar per category, its count written on it; "nothing yet" when all are zero."""
    chart = _chart(title if any(counts.values()) else f"{title}: nothing yet")
    chart.legend().hide()
    values = QBarSet(title)
    values.append([float(n) for n in counts.values()])
    values.setLabelColor(QColor(Qt.GlobalColor.black))  # the count, beside its bar
    series = QHorizontalBarSeries()
    series.append(values)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([key or "(no reason)" for key in counts] or [""])
    axis = QValueAxis()
    axis.setRange(0, max([*counts.values(), 1]) * 1.1)
    axis.applyNiceNumbers()
    axis.setLabelFormat("%d")
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(axis)
    return chart


def lines(title: str, by_name: dict[str, list[tuple[str, float]]], unit: str) -> QChart:
    """One line per name over days ("YYYY-MM-DD", value); a day is a dot where it is alone."""
    chart = _chart(title if by_name else f"{title}: nothing finished yet")
    days = QDateTimeAxis()
    days.setFormat("d MMM")
    values = QValueAxis()
    values.setTitleText(unit)
    values.setLabelFormat("%g")
    chart.addAxis(days, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    times, highest = [], 1.0
    for name, points in by_name.items():
        series = QLineSeries()
        series.setName(name)
        series.setPointsVisible(True)
        for day, value in points:
            at = QDateTime.fromString(day, Qt.DateFormat.ISODate).toMSecsSinceEpoch()
            series.append(at, value)
            times.append(at)
            highest = max(highest, value)
        chart.addSeries(series)
        series.attachAxis(days)
        series.attachAxis(values)
    if times:
        day = 24 * 3600 * 1000
        days.setRange(QDateTime.fromMSecsSinceEpoch(min(times) - day // 2),
                      QDateTime.fromMSecsSinceEpoch(max(times) + day // 2))
    values.setRange(0, highest * 1.1)
    values.applyNiceNumbers()
    return chart
