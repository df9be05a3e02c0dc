/** Names for the demo organisation (mixed, as in an international school group). */
export const firstNames =
  'Amy Ben Chloe Daniel Ella Finn Grace Harry Isla Jack Kai Lily Max Mia Noah Olivia Leo Ruby Sam Sophie Tom Zoe Wei Li Jun Mei Hao Yan Xin Lei Ming Ying Yuki Hana Ren Sora Aiko Ravi Priya Arjun Sara Omar Lina Yusuf Nora Elif Luca Emma Hugo Alice Oscar Ivy Theo Maya Felix Eva Jonas Anna Lucas Mila'.split(
    ' ',
  );

export const lastNames =
  'Smith Jones Brown Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Tanaka Sato Kim Park Lee Patel Khan Singh Garcia Martin Muller Rossi Novak Silva Costa Nguyen Tran Ali Hassan'.split(
    ' ',
  );

export const places =
  'Riverside Hillview Lakeside Greenfield Sunrise Maple Oakwood Harbour Meadow Starlight Willow Brookside Pinecrest Rosewood Northgate Eastwood Westbrook Southfield Cedar Silverlake'.split(
    ' ',
  );

export const regions = 'North East South West Central Coastal Mountain Valley Bay Metro'.split(' ');
