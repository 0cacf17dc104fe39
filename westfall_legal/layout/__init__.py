"""Layout: pages of positioned words -> the document text, lines, margins and sections."""
