"""Applications for disclosure (依申请公开): every channel, the clock, the replies, notices and statistics."""
