"""The annual report (信息公开年度报告) by academic year: figures, sections, checks, import and export."""
